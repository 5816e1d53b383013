/*
 * The cross-language check: the two-layer MLP of tools/gen_mlp_golden.py, built from Scala,
 * must reproduce tests/golden/mlp.txt (output and every argument gradient) to 1e-5. The same
 * file is checked by the C and Python suites.
 */
package org.apache.mxnet

import scala.io.Source

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class MlpGoldenTest {
  private val shapes = Map("data" -> Shape(4, 6), "fc1_weight" -> Shape(5, 6), "fc1_bias" -> Shape(5),
    "fc2_weight" -> Shape(3, 5), "fc2_bias" -> Shape(3))
  private val seeds = Map("data" -> 1, "fc1_weight" -> 2, "fc1_bias" -> 3, "fc2_weight" -> 4, "fc2_bias" -> 5)
  private val label = Array(0f, 1f, 2f, 1f)

  // Element k of the array with seed s is ((7k + s) % 11 - 5) / 10, as the generator writes.
  private def fill(name: String): Array[Float] =
    Array.tabulate(shapes(name).product)(k => (((7 * k + seeds(name)) % 11 - 5) / 10.0).toFloat)

  /** name -> (shape, values) for every block of the golden file. */
  private def golden: Map[String, (Shape, Array[Double])] = {
    val src = Source.fromFile(new java.io.File(goldenDir, "mlp.txt"))
    try {
      src.getLines().filter(_.trim.nonEmpty).grouped(2).map { case Seq(header, values) =>
        val h = header.trim.split("\\s+")
        h(0) -> (Shape(h.drop(1).map(_.toInt).toVector), values.trim.split("\\s+").map(_.toDouble))
      }.toMap
    } finally src.close()
  }

  private def network(): Symbol = {
    val data = Symbol.Variable("data")
    val fc1 = Symbol.FullyConnected(name = "fc1")()(Map("data" -> data, "num_hidden" -> 5))
    val relu1 = Symbol.Activation(name = "relu1")()(Map("data" -> fc1, "act_type" -> "relu"))
    val fc2 = Symbol.FullyConnected(name = "fc2")()(Map("data" -> relu1, "num_hidden" -> 3))
    Symbol.SoftmaxOutput(name = "softmax")()(Map("data" -> fc2))
  }

  private def checkAgainstGolden(exec: Executor): Unit = {
    val g = golden
    val (outShape, outValues) = g("output")
    assertEquals(outShape, exec.outputs(0).shape)
    assertCloseD(outValues, exec.outputs(0).toFloat64Array, 1e-5)
    for (name <- shapes.keys) {
      val (shape, values) = g("grad:" + name)
      val grad = exec.gradDict(name)
      assertEquals(s"shape of grad:$name", shape, grad.shape)
      assertCloseD(values, grad.toFloat64Array, 1e-5)
    }
    assertEquals(6, g.size)
  }

  @Test def bindWithUserArrays(): Unit = ResourceScope.using() {
    val net = network()
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "softmax_label"),
      net.listArguments())
    val args = shapes.map { case (n, s) => n -> NDArray.array(fill(n), s) } +
      ("softmax_label" -> NDArray.array(label, Shape(4)))
    val grads = shapes.map { case (n, s) => n -> NDArray.zeros(s) }
    val exec = net.bind(Context.cpu(), args, grads, "write")
    exec.forward(isTrain = true)
    exec.backward()
    checkAgainstGolden(exec)
    assertFalse(exec.gradDict.contains("softmax_label"))
  }

  @Test def simpleBindAndForwardKwargs(): Unit = ResourceScope.using() {
    val net = network()
    val exec = net.simpleBind(Context.cpu(),
      gradReq = net.listArguments().map(n => n -> (if (n == "softmax_label") "null" else "write")).toMap,
      shapeDict = Map("data" -> Shape(4, 6), "softmax_label" -> Shape(4)))
    for (n <- shapes.keys if n != "data") exec.argDict(n).set(fill(n))
    exec.forward(isTrain = true, "data" -> NDArray.array(fill("data"), Shape(4, 6)),
      "softmax_label" -> NDArray.array(label, Shape(4)))
    exec.backward()
    checkAgainstGolden(exec)
    // A second pass over the same executor gives the same numbers.
    exec.forward(isTrain = true)
    exec.backward()
    checkAgainstGolden(exec)
  }
}
