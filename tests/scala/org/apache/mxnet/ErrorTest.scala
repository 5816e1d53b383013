/*
 * Engine errors arrive as MXNetError with the engine's message, never as a crash, and leave
 * everything usable afterwards.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class ErrorTest {
  private val expected = "Error in operator fc1: Shape inconsistent, Provided=(1,100), inferred shape=(1000,100)"

  private def badNet(): Symbol = {
    val data = Symbol.Variable("data")
    Symbol.FullyConnected(name = "fc1")()(Map("data" -> data, "num_hidden" -> 1000))
  }

  @Test def inferShapeReportsInconsistentShapes(): Unit = {
    val net = badNet()
    val e = intercept[MXNetError](net.inferShape(Map("data" -> Shape(100, 100), "fc1_weight" -> Shape(1, 100))))
    assertTrue(s"message was: ${e.getMessage}", e.getMessage.contains(expected))
    assertEquals(e.getMessage, e.err)
    // The symbol is still fine.
    val (args, _, _) = net.inferShape(Map("data" -> Shape(100, 100)))
    assertEquals(Shape(1000, 100), args(1))
  }

  @Test def bindReportsInconsistentShapesThenWorks(): Unit = ResourceScope.using() {
    val net = badNet()
    val data = NDArray.ones(Shape(100, 100))
    val e = intercept[MXNetError] {
      net.bind(Context.cpu(), Seq(data, NDArray.zeros(Shape(1, 100)), NDArray.zeros(Shape(1000))))
    }
    assertTrue(s"message was: ${e.getMessage}", e.getMessage.contains(expected))
    // A correct bind right after works.
    val exec = net.bind(Context.cpu(), Seq(data, NDArray.ones(Shape(1000, 100)), NDArray.zeros(Shape(1000))))
    exec.forward()
    assertEquals(Shape(100, 1000), exec.outputs(0).shape)
    assertTrue(exec.outputs(0).toArray.forall(_ == 100f))
  }

  @Test def badParameterValue(): Unit = {
    val data = Symbol.Variable("data")
    val e = intercept[MXNetError](Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> "abc")))
    assertTrue(e.getMessage.nonEmpty)
    intercept[MXNetError](Symbol.Activation(name = "a")(data)(Map("act_type" -> "nonsense")))
    intercept[MXNetError](Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2, "bogus_param" -> 1)))
    // Nothing was left registered half-made; normal creation still works.
    assertEquals("fc", Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2)).name)
  }

  @Test def missingRequiredParameter(): Unit = {
    val data = Symbol.Variable("data")
    intercept[MXNetError](Symbol.FullyConnected(name = "fc")(data)())
  }

  @Test def wrongInputs(): Unit = {
    val data = Symbol.Variable("data")
    intercept[MXNetError](Symbol.FullyConnected(name = "fc")()(Map("nodata" -> data, "num_hidden" -> 2)))
    intercept[IllegalArgumentException](
      Symbol.FullyConnected(name = "fc")(data)(Map("weight" -> data, "num_hidden" -> 2)))
  }

  @Test def bindArgumentProblems(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    intercept[IllegalArgumentException](net.bind(Context.cpu(), Seq(NDArray.zeros(2, 3))))
    intercept[IllegalArgumentException](net.bind(Context.cpu(), Map("data" -> NDArray.zeros(2, 3))))
    val args = Seq(NDArray.zeros(2, 3), NDArray.zeros(2, 3), NDArray.zeros(2))
    intercept[IllegalArgumentException](net.bind(Context.cpu(), args, args, gradReq = "sometimes"))
    // Wrong shapes for every argument: the engine says so.
    intercept[MXNetError](net.bind(Context.cpu(), Seq(NDArray.zeros(2, 3), NDArray.zeros(3, 3), NDArray.zeros(2))))
  }

  @Test def simpleBindWithoutEnoughShapes(): Unit = {
    // The weight's shape leaves the batch size of data unknown.
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    intercept[MXNetError](net.simpleBind(Context.cpu(), "write", Map("fc_weight" -> Shape(2, 3))))
  }

  @Test def backwardNeedsHeadGradients(): Unit = ResourceScope.using() {
    val a = Symbol.Variable("a")
    val net = a * 2
    val exec = net.bind(Context.cpu(), Seq(NDArray.ones(2)), Seq(NDArray.zeros(2)))
    exec.forward(isTrain = true)
    intercept[MXNetError](exec.backward())
    exec.backward(NDArray.ones(2))
  }

  @Test def badJson(): Unit = {
    intercept[MXNetError](Symbol.loadJson("{ not json"))
    intercept[MXNetError](Symbol.load("/nonexistent/dir/symbol.json"))
  }

  @Test def nullsAtTheNativeBoundary(): Unit = {
    intercept[NullPointerException](Base._LIB.symCreateVariable(null))
    intercept[NullPointerException](Base._LIB.symCreateFromJSON(null))
    intercept[NullPointerException](Base._LIB.symInferShape(0L, null, null, true))
    intercept[IllegalArgumentException](Symbol.Variable(null))
    val v = Symbol.Variable("v")
    intercept[NullPointerException](Base._LIB.symSetAttr(v.nativeAddress, "k", null))
  }

  @Test def unicodeNamesSurviveTheBoundary(): Unit = {
    val name = "données_\u03b8_\ud83d\ude00"
    val v = Symbol.Variable(name)
    assertEquals(name, v.name)
    assertEquals(IndexedSeq(name), v.listArguments())
  }
}
