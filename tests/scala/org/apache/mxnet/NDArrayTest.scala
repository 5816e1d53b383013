/*
 * NDArray: creation, host copies in both directions, metadata, and size checks that must fail
 * with an exception rather than overrun memory.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class NDArrayTest {
  @Test def arrayRoundTrip(): Unit = {
    val a = NDArray.array(Array(1f, 2f, 3f, 4f, 5f, 6f), Shape(2, 3), Context.cpu())
    assertEquals(Shape(2, 3), a.shape)
    assertEquals(6, a.size)
    assertEquals(Context.cpu(0), a.context)
    assertEquals(DType.Float32, a.dtype)
    assertArrayEquals(Array(1f, 2f, 3f, 4f, 5f, 6f), a.toArray, 0f)
    a.dispose()
  }

  @Test def zerosOnesFullSet(): Unit = {
    val z = NDArray.zeros(Shape(3, 2))
    assertArrayEquals(Array.fill(6)(0f), z.toArray, 0f)
    val o = NDArray.ones(4)
    assertArrayEquals(Array.fill(4)(1f), o.toArray, 0f)
    assertEquals(Shape(4), o.shape)
    o.set(2.5f)
    assertArrayEquals(Array.fill(4)(2.5f), o.toArray, 0f)
    o.set(Array(1f, -1f, 0.5f, 7f))
    assertArrayEquals(Array(1f, -1f, 0.5f, 7f), o.toArray, 0f)
    assertEquals(3f, NDArray.full(Shape(1), 3f).toScalar, 0f)
    Seq(z, o).foreach(_.dispose())
  }

  @Test def copies(): Unit = {
    val a = NDArray.array(Array(1f, 2f, 3f, 4f), Shape(2, 2))
    val b = NDArray.zeros(Shape(2, 2))
    assertSame(b, a.copyTo(b))
    assertArrayEquals(a.toArray, b.toArray, 0f)
    val c = a.copyTo(Context.cpu())
    assertNotSame(a, c)
    assertArrayEquals(a.toArray, c.toArray, 0f)
    a.set(0f) // the copies are independent
    assertArrayEquals(Array(1f, 2f, 3f, 4f), c.toArray, 0f)
    val d = NDArray.zeros(Shape(4))
    intercept[IllegalArgumentException](c.copyTo(d))
    Seq(a, b, c, d).foreach(_.dispose())
  }

  @Test def float64(): Unit = {
    val a = NDArray.array(Array(0.1, 1e-300, -3.0), Shape(3), Context.cpu())
    assertEquals(DType.Float64, a.dtype)
    assertArrayEquals(Array(0.1, 1e-300, -3.0), a.toFloat64Array, 0.0)
    assertArrayEquals(Array(0.1f, 0f, -3f), a.toArray, 0f)
    // Converting copies between dtypes.
    val f = a.asType(DType.Float32)
    assertEquals(DType.Float32, f.dtype)
    assertArrayEquals(Array(0.1f, 0f, -3f), f.toArray, 0f)
    Seq(a, f).foreach(_.dispose())
  }

  @Test def wrongSizesAreExceptions(): Unit = {
    val a = NDArray.zeros(Shape(2, 2))
    intercept[IllegalArgumentException](a.set(Array(1f, 2f, 3f)))
    intercept[IllegalArgumentException](a.set(null: Array[Float]))
    // The JNI layer checks buffer sizes itself, whatever Scala passed.
    intercept[IllegalArgumentException](Base._LIB.ndSyncCopyToFloats(a.nativeAddress, new Array[Float](3)))
    intercept[IllegalArgumentException](Base._LIB.ndSyncCopyFromBytes(a.nativeAddress, new Array[Byte](15)))
    intercept[NullPointerException](Base._LIB.ndSyncCopyFromFloats(a.nativeAddress, null))
    intercept[NullPointerException](Base._LIB.ndCreate(null, 1, 0, false, 0))
    intercept[IllegalArgumentException](Base._LIB.ndCreate(Array(-1), 1, 0, false, 0))
    a.dispose()
  }

  @Test def gpuArraysWhenAvailable(): Unit = {
    org.junit.Assume.assumeTrue("no GPU", Loom.gpuCount > 0)
    val a = NDArray.array(Array(1f, 2f, 3f), Shape(3), Context.gpu(0))
    assertEquals(Context.gpu(0), a.context)
    assertArrayEquals(Array(1f, 2f, 3f), a.toArray, 0f)
    val back = a.copyTo(Context.cpu())
    assertArrayEquals(Array(1f, 2f, 3f), back.toArray, 0f)
    Seq(a, back).foreach(_.dispose())
  }

  @Test def gpuWithoutDeviceIsAnError(): Unit = {
    org.junit.Assume.assumeTrue("a GPU is present", Loom.gpuCount == 0)
    intercept[MXNetError](NDArray.zeros(Shape(2), Context.gpu(0)))
  }
}
