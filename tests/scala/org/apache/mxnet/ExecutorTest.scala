/*
 * bind / simpleBind / forward / backward with numbers checked against hand-computed values:
 * FullyConnected + Activation, and every elementwise and scalar operator the Symbol
 * arithmetic uses.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class ExecutorTest {
  private val ctx = Context.cpu()

  // data (2,3), weight (2,3), bias (2); fc = data . weight^T + bias
  private val x = Array(1f, 2f, 3f, -1f, 0f, 1f)
  private val w = Array(0.1f, 0.2f, 0.3f, -0.5f, 0.5f, -0.5f)
  private val b = Array(0.1f, -0.2f)

  private def fcForward: Array[Double] =
    (for (i <- 0 until 2; j <- 0 until 2) yield
      (0 until 3).map(k => x(i * 3 + k).toDouble * w(j * 3 + k)).sum + b(j)).toArray

  @Test def fullyConnectedRelu(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 2))
    val net = Symbol.Activation(name = "relu1")(fc)(Map("act_type" -> "relu"))
    val args = Seq(NDArray.array(x, Shape(2, 3)), NDArray.array(w, Shape(2, 3)), NDArray.array(b, Shape(2)))
    val grads = Seq(NDArray.zeros(2, 3), NDArray.zeros(2, 3), NDArray.zeros(2))
    val exec = net.bind(ctx, args, grads)
    exec.forward()
    // Hand-computed: rows [1.5, -1.2] and [0.3, -0.2] before relu.
    assertClose(Array(1.5f, 0f, 0.3f, 0f), exec.outputs(0).toArray)
    exec.backward(NDArray.ones(2, 2))
    assertClose(Array(0.1f, 0.2f, 0.3f, 0.1f, 0.2f, 0.3f), exec.gradDict("data").toArray)
    assertClose(Array(0f, 2f, 4f, 0f, 0f, 0f), exec.gradDict("fc1_weight").toArray)
    assertClose(Array(2f, 0f), exec.gradDict("fc1_bias").toArray)
    assertSame(args(0), exec.argDict("data"))
    assertSame(grads(1), exec.gradArrays(1))
  }

  @Test def fullyConnectedSigmoidAndTanh(): Unit = ResourceScope.using() {
    for ((act, f, df) <- Seq[(String, Double => Double, Double => Double)](
      ("sigmoid", v => 1 / (1 + math.exp(-v)), v => { val s = 1 / (1 + math.exp(-v)); s * (1 - s) }),
      ("tanh", v => math.tanh(v), v => 1 - math.tanh(v) * math.tanh(v)))) {
      val data = Symbol.Variable("data")
      val fc = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
      val net = Symbol.Activation(name = "act")(fc)(Map("act_type" -> act))
      val exec = net.bind(ctx,
        Map("data" -> NDArray.array(x, Shape(2, 3)), "fc_weight" -> NDArray.array(w, Shape(2, 3)),
          "fc_bias" -> NDArray.array(b, Shape(2))),
        Map("fc_bias" -> NDArray.zeros(2)))
      exec.forward(isTrain = true)
      val pre = fcForward
      assertCloseD(pre.map(f), exec.outputs(0).toFloat64Array, 1e-5)
      exec.backward(NDArray.ones(2, 2))
      // d bias = column sums of the activation's derivative
      val db = Array(df(pre(0)) + df(pre(2)), df(pre(1)) + df(pre(3)))
      assertCloseD(db, exec.gradDict("fc_bias").toFloat64Array, 1e-5)
      assertFalse(exec.gradDict.contains("data"))
    }
  }

  // Binds `f(a, b)` on a = av, b = bv, runs forward and backward with head gradient `head`
  // and returns (output, grad a, grad b).
  private def run(f: (Symbol, Symbol) => Symbol, av: Array[Float], bv: Array[Float],
                  head: Array[Float]): (Array[Float], Array[Float], Array[Float]) =
    ResourceScope.using() {
      val a = Symbol.Variable("a")
      val b = Symbol.Variable("b")
      val net = f(a, b)
      val shape = Shape(2, 2)
      val args = net.listArguments()
      val values = Map("a" -> av, "b" -> bv)
      val exec = net.bind(ctx, args.map(n => NDArray.array(values(n), shape)),
        args.map(_ => NDArray.zeros(shape)))
      exec.forward(isTrain = true)
      exec.backward(Array(NDArray.array(head, shape)))
      def grad(n: String) = exec.gradDict.get(n).map(_.toArray).getOrElse(Array.fill(4)(0f))
      (exec.outputs(0).toArray, grad("a"), grad("b"))
    }

  private val av = Array(1f, 2f, 3f, 4f)
  private val bv = Array(2f, -1f, 0.5f, 4f)
  private val head = Array(1f, 0.5f, -1f, 2f)

  private def check(f: (Symbol, Symbol) => Symbol, out: (Float, Float) => Float,
                    da: (Float, Float) => Float, db: (Float, Float) => Float): Unit = {
    val (o, ga, gb) = run(f, av, bv, head)
    val idx = av.indices
    assertClose(idx.map(i => out(av(i), bv(i))).toArray, o)
    assertClose(idx.map(i => head(i) * da(av(i), bv(i))).toArray, ga)
    assertClose(idx.map(i => head(i) * db(av(i), bv(i))).toArray, gb)
  }

  @Test def elementwiseOperators(): Unit = {
    check(_ + _, _ + _, (_, _) => 1f, (_, _) => 1f)
    check(_ - _, _ - _, (_, _) => 1f, (_, _) => -1f)
    check(_ * _, _ * _, (_, q) => q, (p, _) => p)
    check(_ / _, _ / _, (_, q) => 1 / q, (p, q) => -p / (q * q))
  }

  @Test def scalarOperators(): Unit = {
    check((a, _) => a + 2, (p, _) => p + 2, (_, _) => 1f, (_, _) => 0f)
    check((a, _) => a + 1.5, (p, _) => p + 1.5f, (_, _) => 1f, (_, _) => 0f)
    check((a, _) => a - 2f, (p, _) => p - 2, (_, _) => 1f, (_, _) => 0f)
    check((a, _) => 2 - a, (p, _) => 2 - p, (_, _) => -1f, (_, _) => 0f)
    check((a, _) => a * 3, (p, _) => p * 3, (_, _) => 3f, (_, _) => 0f)
    check((a, _) => 0.5 * a, (p, _) => p * 0.5f, (_, _) => 0.5f, (_, _) => 0f)
    check((a, _) => a / 4, (p, _) => p / 4, (_, _) => 0.25f, (_, _) => 0f)
    check((a, _) => 2f / a, (p, _) => 2 / p, (p, _) => -2 / (p * p), (_, _) => 0f)
    check((a, _) => -a, (p, _) => -p, (_, _) => -1f, (_, _) => 0f)
    check((a, _) => 1 + a, (p, _) => 1 + p, (_, _) => 1f, (_, _) => 0f)
  }

  @Test def compoundExpression(): Unit = {
    // (a + b) * a - b / 2 : d/da = 2a + b, d/db = a - 0.5
    check((a, b) => (a + b) * a - b / 2, (p, q) => (p + q) * p - q / 2,
      (p, q) => 2 * p + q, (p, _) => p - 0.5f)
  }

  @Test def simpleBindAllocatesZeroedArrays(): Unit = {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val exec = net.simpleBind(ctx, "write", Map("data" -> Shape(2, 3)))
    assertEquals(IndexedSeq(Shape(2, 3), Shape(2, 3), Shape(2)), exec.argArrays.map(_.shape).toIndexedSeq)
    exec.argArrays.foreach(a => assertTrue(a.toArray.forall(_ == 0f)))
    assertEquals(3, exec.gradArrays.count(_ != null))
    exec.argDict("fc_weight").set(w)
    exec.argDict("fc_bias").set(b)
    exec.forward(isTrain = false, "data" -> NDArray.array(x, Shape(2, 3)))
    assertCloseD(fcForward, exec.outputs(0).toFloat64Array, 1e-5)
    assertEquals(Shape(2, 2), exec.outputDict("fc_output").shape)
    exec.backward(NDArray.ones(2, 2))
    assertClose(Array(2f, 2f), exec.gradDict("fc_bias").toArray)
    val owned = exec.argArrays.toSeq ++ exec.gradArrays.filter(_ != null)
    exec.dispose()
    assertTrue(owned.forall(_.isDisposed))
    assertTrue(exec.outputs.forall(_.isDisposed))
    Seq(data, net).foreach(_.dispose())
  }

  @Test def simpleBindGradReqByName(): Unit = {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val exec = net.simpleBind(ctx, gradReq = Map("fc_weight" -> "write"), shapeDict = Map("data" -> Shape(2, 3)))
    assertEquals(Set("fc_weight"), exec.gradDict.keySet)
    assertEquals(IndexedSeq("null", "write", "null"), exec.gradReq)
    exec.dispose()
  }

  @Test def gradReqAddAccumulates(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val gb = NDArray.zeros(2)
    val exec = net.bind(ctx,
      Seq(NDArray.array(x, Shape(2, 3)), NDArray.array(w, Shape(2, 3)), NDArray.array(b, Shape(2))),
      Map("fc_bias" -> gb), gradReq = "add")
    exec.forward(isTrain = true)
    exec.backward(NDArray.ones(2, 2))
    exec.backward(NDArray.ones(2, 2))
    assertClose(Array(4f, 4f), gb.toArray)
  }

  @Test def gradReqNullLeavesGradientAlone(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val gw = NDArray.full(Shape(2, 3), 7f)
    val gb = NDArray.zeros(2)
    val exec = net.bind(ctx,
      Seq(NDArray.array(x, Shape(2, 3)), NDArray.array(w, Shape(2, 3)), NDArray.array(b, Shape(2))),
      Seq(null, gw, gb), gradReq = Seq("null", "null", "write"))
    exec.forward(isTrain = true)
    exec.backward(NDArray.ones(2, 2))
    assertClose(Array.fill(6)(7f), gw.toArray)
    assertClose(Array(2f, 2f), gb.toArray)
    assertEquals(IndexedSeq("null", "null", "write"), exec.gradReq)
    // By name: arguments left out of the map get no gradient.
    val gw2 = NDArray.full(Shape(2, 3), 7f)
    val gb2 = NDArray.zeros(2)
    val exec2 = net.bind(ctx, exec.argArrays, Map("fc_weight" -> gw2, "fc_bias" -> gb2),
      gradReq = Map("fc_bias" -> "write"))
    exec2.forward(isTrain = true)
    exec2.backward(NDArray.ones(2, 2))
    assertClose(Array.fill(6)(7f), gw2.toArray)
    assertClose(Array(2f, 2f), gb2.toArray)
    assertEquals(IndexedSeq("null", "null", "write"), exec2.gradReq)
  }

  @Test def executorOutlivesItsSymbol(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val exec = net.bind(ctx,
      Seq(NDArray.array(x, Shape(2, 3)), NDArray.array(w, Shape(2, 3)), NDArray.array(b, Shape(2))))
    net.dispose()
    data.dispose()
    exec.forward()
    assertCloseD(fcForward, exec.outputs(0).toFloat64Array, 1e-5)
  }

  @Test def forwardKwargsAreChecked(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val net = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val exec = net.simpleBind(ctx, "null", Map("data" -> Shape(2, 3)))
    intercept[IllegalArgumentException](exec.forward(isTrain = false, "nope" -> NDArray.zeros(2, 3)))
    intercept[IllegalArgumentException](exec.forward(isTrain = false, "data" -> NDArray.zeros(3, 2)))
    assertTrue(exec.gradDict.isEmpty)
  }

  @Test def independentExecutorsOnSeveralThreads(): Unit = {
    // Distinct handles may be used from distinct threads at once (C ABI rule); automatic
    // names are per thread, so every thread sees fullyconnected0.
    val failures = new java.util.concurrent.ConcurrentLinkedQueue[Throwable]()
    val threads = (0 until 4).map { t =>
      new Thread(new Runnable {
        override def run(): Unit = try {
          for (_ <- 0 until 25) ResourceScope.using() {
            new NameManager().withScope {
              val data = Symbol.Variable("data")
              val net = Symbol.FullyConnected()(data)(Map("num_hidden" -> 2)) * (t + 1)
              assertEquals(IndexedSeq("data", "fullyconnected0_weight", "fullyconnected0_bias"),
                net.listArguments())
              val exec = net.simpleBind(ctx, "write", Map("data" -> Shape(2, 3)))
              exec.argDict("fullyconnected0_weight").set(w)
              exec.argDict("fullyconnected0_bias").set(b)
              exec.forward(isTrain = true, "data" -> NDArray.array(x, Shape(2, 3)))
              assertCloseD(fcForward.map(_ * (t + 1)), exec.outputs(0).toFloat64Array, 1e-5)
              exec.backward(NDArray.ones(2, 2))
              assertClose(Array(2f * (t + 1), 2f * (t + 1)), exec.gradDict("fullyconnected0_bias").toArray)
            }
          }
        } catch { case e: Throwable => failures.add(e) }
      })
    }
    threads.foreach(_.start())
    threads.foreach(_.join(60000))
    if (!failures.isEmpty) throw failures.peek()
  }

  @Test def fullyConnectedOnGpuMatchesCpu(): Unit = {
    org.junit.Assume.assumeTrue("no GPU", Loom.gpuCount > 0)
    ResourceScope.using() {
      val data = Symbol.Variable("data")
      val net = Symbol.Activation(name = "act")(Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2)))(
        Map("act_type" -> "tanh"))
      val gpu = Context.gpu(0)
      val exec = net.bind(gpu, Seq(NDArray.array(x, Shape(2, 3), gpu), NDArray.array(w, Shape(2, 3), gpu),
        NDArray.array(b, Shape(2), gpu)))
      exec.forward()
      assertCloseD(fcForward.map(math.tanh), exec.outputs(0).toFloat64Array, 1e-5)
    }
  }
}
