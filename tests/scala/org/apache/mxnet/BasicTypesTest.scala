/*
 * Shape, Context and DType: the plain value classes MXNet users build everything else from.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

class BasicTypesTest {
  @Test def shapeBasics(): Unit = {
    val s = Shape(1, 2)
    assertEquals("(1,2)", s.toString)
    assertEquals(2, s.size)
    assertEquals(2, s.product)
    assertArrayEquals(Array(1, 2), s.toArray)
    assertEquals(Shape(1, 2), new Shape(Vector(1, 2)))
    assertEquals(Shape(1, 2).hashCode, Shape(Seq(1, 2)).hashCode)
    assertNotEquals(Shape(1, 2), Shape(2, 1))
    assertEquals(Shape(2, 3, 4), Shape(2) ++ Shape(3, 4))
    assertEquals(Shape(3, 4), Shape(2, 3, 4).drop(1))
    assertEquals(24, Shape(2, 3, 4).product)
    assertEquals(3, Shape(2, 3, 4)(1))
    assertEquals("()", Shape().toString)
  }

  @Test def contextBasics(): Unit = {
    assertEquals("cpu(0)", Context.cpu().toString)
    assertEquals("gpu(1)", Context.gpu(1).toString)
    assertEquals(Context.cpu(0), new Context("cpu", 0))
    assertNotEquals(Context.cpu(0), Context.gpu(0))
    assertEquals(1, Context.cpu().deviceTypeid)
    assertEquals(2, Context.gpu().deviceTypeid)
    assertEquals("gpu", Context.gpu(3).deviceType)
    assertEquals(3, Context.gpu(3).deviceId)
    TestUtil.intercept[IllegalArgumentException](new Context("tpu", 0))
  }

  @Test def dtypeFlags(): Unit = {
    assertEquals(0, DType.Float32.id)
    assertEquals(1, DType.Float64.id)
    assertEquals(2, DType.Float16.id)
    assertEquals(4, DType.Int32.id)
    assertEquals(6, DType.Int64.id)
    assertEquals("float32", DType.Float32.toString)
    assertEquals(4, DType.numOfBytes(DType.Float32))
    assertEquals(8, DType.numOfBytes(DType.Float64))
  }

  @Test def halfPrecisionCodec(): Unit = {
    for (v <- Seq(0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f)) {
      assertEquals(v, HostCodec.halfToFloat(HostCodec.floatToHalf(v)), 0f)
    }
    assertTrue(HostCodec.halfToFloat(HostCodec.floatToHalf(1e6f)).isInfinite)
    assertTrue(HostCodec.halfToFloat(HostCodec.floatToHalf(Float.NaN)).isNaN)
  }

  @Test def engineVersion(): Unit = {
    assertEquals(10901, Loom.version)
    assertTrue(Loom.gpuCount >= 0)
  }
}
