/*
 * Symbol.bind in every form MXNet's Scala API had (args / argsGrad / auxStates as Seq or Map,
 * gradReq as String, Seq or Map, group2ctx, sharedExec), simpleBind with shapeDict and
 * typeDict, and Symbol.gradient (MXSymbolGrad) evaluated through bind and forward, up to a
 * second-order derivative.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class SymbolBindTest {
  private val ctx = Context.cpu()

  // y = fc(x) with x (2,3), w (2,3), b (2)
  private val xv = Array(1f, 2f, 3f, -1f, 0f, 1f)
  private val wv = Array(0.1f, 0.2f, 0.3f, -0.5f, 0.5f, -0.5f)
  private val bv = Array(0.1f, -0.2f)
  private val yv = Array(1.5f, -1.2f, 0.3f, -0.2f) // hand-computed x . w^T + b

  private def fc(): Symbol =
    Symbol.FullyConnected(name = "fc")(Symbol.Variable("x"))(Map("num_hidden" -> 2))

  private def argSeq(): Seq[NDArray] =
    Seq(NDArray.array(xv, Shape(2, 3)), NDArray.array(wv, Shape(2, 3)), NDArray.array(bv, Shape(2)))

  private def argMap(): Map[String, NDArray] = Seq("x", "fc_weight", "fc_bias").zip(argSeq()).toMap

  private def gradSeq(): Seq[NDArray] = Seq(NDArray.zeros(2, 3), NDArray.zeros(2, 3), NDArray.zeros(2))

  // Runs forward and backward (head gradient 1) and checks the output and bias gradient.
  private def runAndCheck(exec: Executor, biasGrad: Boolean): Unit = {
    exec.forward(isTrain = true)
    assertClose(yv, exec.outputs(0).toArray)
    if (biasGrad) {
      exec.backward(NDArray.ones(2, 2))
      assertClose(Array(2f, 2f), exec.gradDict("fc_bias").toArray)
    }
  }

  @Test def bindWithoutGradients(): Unit = ResourceScope.using() {
    val net = fc()
    for (exec <- Seq(net.bind(ctx, argSeq()), net.bind(ctx, argMap()))) {
      runAndCheck(exec, biasGrad = false)
      assertTrue(exec.gradArrays.forall(_ == null))
      assertTrue(exec.gradDict.isEmpty)
      assertEquals(IndexedSeq("null", "null", "null"), exec.gradReq)
    }
    // argsGrad = null means no gradients whatever gradReq says (MXNet's rule).
    val exec = net.bind(ctx, argSeq(), null, "write", Nil, null, null)
    assertEquals(IndexedSeq("null", "null", "null"), exec.gradReq)
  }

  @Test def bindWithGradientsSeqAndMap(): Unit = ResourceScope.using() {
    val net = fc()
    runAndCheck(net.bind(ctx, argSeq(), gradSeq()), biasGrad = true)
    runAndCheck(net.bind(ctx, argMap(), gradSeq()), biasGrad = true)
    runAndCheck(net.bind(ctx, argSeq(), Map("fc_bias" -> NDArray.zeros(2))), biasGrad = true)
    val exec = net.bind(ctx, argMap(), Map("fc_bias" -> NDArray.zeros(2), "x" -> NDArray.zeros(2, 3)))
    runAndCheck(exec, biasGrad = true)
    // Only the gradients asked for exist: d/dx = ones . w.
    assertEquals(Set("fc_bias", "x"), exec.gradDict.keySet)
    assertClose(Array(-0.4f, 0.7f, -0.2f, -0.4f, 0.7f, -0.2f), exec.gradDict("x").toArray)
    assertEquals(IndexedSeq("write", "null", "write"), exec.gradReq)
  }

  @Test def bindFullSignatures(): Unit = ResourceScope.using() {
    val net = fc()
    // MXNet's seven-argument forms: every combination of Seq and Map.
    val e1 = net.bind(ctx, argSeq(), gradSeq(), "write", Nil, null, null)
    val e2 = net.bind(ctx, argSeq(), gradSeq(), "write", Map.empty[String, NDArray], null, null)
    val e3 = net.bind(ctx, argMap(), Map("fc_bias" -> NDArray.zeros(2)), "write", Seq.empty[NDArray], null, null)
    val e4 = net.bind(ctx, argMap(), gradSeq(), Seq("null", "null", "write"), Nil, null, null)
    val e5 = net.bind(ctx, argSeq(), gradSeq(), Map("fc_bias" -> "write"), Nil, null, null)
    val e6 = net.bind(ctx, args = argMap(), argsGrad = gradSeq(), gradReq = Map("fc_bias" -> "add"))
    for (e <- Seq(e1, e2, e3, e4, e5, e6)) runAndCheck(e, biasGrad = true)
    assertEquals(IndexedSeq("write", "write", "write"), e1.gradReq)
    assertEquals(IndexedSeq("null", "null", "write"), e4.gradReq)
    assertEquals(IndexedSeq("null", "null", "write"), e5.gradReq)
    assertEquals(IndexedSeq("null", "null", "add"), e6.gradReq)
    // "add" accumulates over backward calls.
    e6.backward(NDArray.ones(2, 2))
    assertClose(Array(4f, 4f), e6.gradDict("fc_bias").toArray)
    // The Array form binds too.
    runAndCheck(net.bind(ctx, argSeq().toArray, gradSeq().toArray), biasGrad = true)
  }

  @Test def bindErrors(): Unit = ResourceScope.using() {
    val net = fc()
    intercept[IllegalArgumentException](net.bind(ctx, argSeq().take(2)))
    intercept[IllegalArgumentException](net.bind(ctx, argMap() - "fc_bias"))
    intercept[IllegalArgumentException](net.bind(ctx, argSeq(), gradSeq(), "sometimes", Nil, null, null))
    intercept[IllegalArgumentException](net.bind(ctx, argSeq(), gradSeq(), Seq("write"), Nil, null, null))
    // Auxiliary states the symbol does not have.
    intercept[IllegalArgumentException](net.bind(ctx, argSeq(), null, "write", Seq(NDArray.zeros(1)), null, null))
    // Wrong shapes are the engine's to report.
    intercept[MXNetError](net.bind(ctx, Seq(NDArray.zeros(2, 4), NDArray.zeros(2, 3), NDArray.zeros(2))))
  }

  @Test def auxiliaryStates(): Unit = {
    org.junit.Assume.assumeTrue("BatchNorm is not registered in this build",
      Loom.listAllOpNames().contains("BatchNorm"))
    ResourceScope.using() {
      val bn = Symbol.BatchNorm(name = "bn")(Symbol.Variable("data"))()
      assertEquals(IndexedSeq("data", "bn_gamma", "bn_beta"), bn.listArguments())
      assertEquals(IndexedSeq("bn_moving_mean", "bn_moving_var"), bn.listAuxiliaryStates())
      assertEquals(IndexedSeq("data", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var"),
        bn.listInputs())
      assertEquals((IndexedSeq(Shape(2, 3), Shape(3), Shape(3)), IndexedSeq(Shape(2, 3)),
        IndexedSeq(Shape(3), Shape(3))), bn.inferShape(Map("data" -> Shape(2, 3))))
      // Initializer hints MXNet puts on the moving statistics when composing.
      assertEquals(Map("__init__" -> "[\"zero\", {}]"), bn.attrMap()("bn_moving_mean"))
      assertEquals(Map("__init__" -> "[\"one\", {}]"), bn.attrMap()("bn_moving_var"))

      val args = Seq(NDArray.array(xv, Shape(2, 3)), NDArray.ones(3), NDArray.full(Shape(3), 0.5f))
      def aux() = Seq(NDArray.full(Shape(3), 1f), NDArray.full(Shape(3), 4f))
      // Auxiliary states are required, all of them, by position or by name.
      intercept[IllegalArgumentException](bn.bind(ctx, args))
      intercept[IllegalArgumentException](bn.bind(ctx, args, null, "null", aux().take(1), null, null))
      intercept[IllegalArgumentException](
        bn.bind(ctx, args, null, "null", Map("bn_moving_mean" -> NDArray.zeros(3)), null, null))
      val execs = try {
        Seq(bn.bind(ctx, args, null, "null", aux(), null, null),
          bn.bind(ctx, args, null, "null",
            Map("bn_moving_mean" -> aux()(0), "bn_moving_var" -> aux()(1)), null, null))
      } catch {
        case e: MXNetError if e.getMessage.contains("has no kernel") =>
          org.junit.Assume.assumeTrue(e.getMessage, false); Nil
      }
      for (exec <- execs) {
        assertEquals(Set("bn_moving_mean", "bn_moving_var"), exec.auxDict.keySet)
        exec.forward() // inference: the moving statistics normalise (fix_gamma: gamma is 1)
        assertClose(xv.map(v => ((v - 1) / math.sqrt(4 + 1e-3) + 0.5).toFloat), exec.outputs(0).toArray)
      }
    }
  }

  @Test def bindAcceptsGroup2ctxAndSharedExec(): Unit = ResourceScope.using() {
    val x = Symbol.Variable("x")
    val net = new AttrScope(Map("ctx_group" -> "stage1")).withScope {
      Symbol.FullyConnected(name = "fc")(x)(Map("num_hidden" -> 2))
    } * 2
    assertEquals(Some("stage1"), net.getInternals().get("fc_output").attr("__ctx_group__"))
    val exec = net.bind(ctx, argSeq(), gradSeq(), "write", Nil, Map("stage1" -> Context.cpu()), null)
    exec.forward(isTrain = true)
    assertClose(yv.map(_ * 2), exec.outputs(0).toArray)
    exec.backward(NDArray.ones(2, 2))
    assertClose(Array(4f, 4f), exec.gradDict("fc_bias").toArray)
    // A second executor sharing memory with the first computes its own result; as in MXNet,
    // executors sharing memory run one at a time (read outputs before running the other).
    val other = argSeq()
    other(0).set(xv.map(_ * 10))
    val shared = net.bind(ctx, other, null, "null", Nil, null, exec)
    shared.forward()
    val expected = Array(14f, -10f, 2f, 0f).zip(Array(0.1f, -0.2f, 0.1f, -0.2f))
      .map { case (dot, bias) => (dot + bias) * 2 }
    assertClose(expected, shared.outputs(0).toArray)
    exec.forward()
    assertClose(yv.map(_ * 2), exec.outputs(0).toArray)
  }

  @Test def simpleBindWithShapeAndTypeDicts(): Unit = ResourceScope.using() {
    val net = fc()
    val exec = net.simpleBind(ctx, "write", Map("x" -> Shape(2, 3)), Map("x" -> DType.Float64))
    assertEquals(Seq(DType.Float64, DType.Float64, DType.Float64), exec.argArrays.map(_.dtype).toSeq)
    assertEquals(IndexedSeq(Shape(2, 3), Shape(2, 3), Shape(2)), exec.argArrays.map(_.shape).toIndexedSeq)
    assertEquals(DType.Float64, exec.gradDict("fc_weight").dtype)
    exec.argDict("x").set(xv)
    exec.argDict("fc_weight").set(wv)
    exec.argDict("fc_bias").set(bv)
    exec.forward(isTrain = true)
    assertEquals(DType.Float64, exec.outputs(0).dtype)
    val exact = Array(1.4 + 0.1, -1.0 - 0.2, 0.2 + 0.1, 0.0 - 0.2)
    assertCloseD(exact, exec.outputs(0).toFloat64Array, 1e-6)
    exec.backward(NDArray.ones(Shape(2, 2), ctx, DType.Float64))
    assertCloseD(Array(2.0, 2.0), exec.gradDict("fc_bias").toFloat64Array, 1e-12)

    // Without typeDict everything is float32; "null" allocates no gradients.
    val plain = net.simpleBind(ctx, "null", Map("x" -> Shape(4, 3)))
    assertTrue(plain.argArrays.forall(_.dtype == DType.Float32))
    assertTrue(plain.gradArrays.forall(_ == null))
    assertEquals(Shape(4, 2), plain.outputs(0).shape)

    // A Variable's own shape and dtype attributes stand in for the dictionaries.
    val v = Symbol.Variable("v", shape = Shape(3), dType = DType.Float64)
    val fromAttrs = (v * 2).simpleBind(ctx, shapeDict = Map.empty[String, Shape])
    assertEquals(Shape(3), fromAttrs.argDict("v").shape)
    assertEquals(DType.Float64, fromAttrs.argDict("v").dtype)

    // Shapes that cannot be inferred are an error that names the argument.
    val e = intercept[MXNetError](net.simpleBind(ctx, "write", Map("fc_bias" -> Shape(2))))
    assertTrue(e.getMessage, e.getMessage.contains("x"))
  }

  @Test def gradientOfAProduct(): Unit = ResourceScope.using() {
    val a = Symbol.Variable("a")
    val b = Symbol.Variable("b")
    val g = (a * b + a).gradient(Seq("a", "b"))
    assertEquals(2, g.numOutputs)
    assertEquals(Set("a", "b"), g.listArguments().toSet)
    val av = Array(1f, 2f, 3f)
    val bvals = Array(4f, -5f, 6f)
    val exec = g.bind(ctx, Map("a" -> NDArray.array(av, Shape(3)), "b" -> NDArray.array(bvals, Shape(3))))
    exec.forward()
    assertClose(bvals.map(_ + 1), exec.outputs(0).toArray) // d/da = b + 1
    assertClose(av, exec.outputs(1).toArray) // d/db = a
    val (_, outShapes, _) = g.inferShape(Map("a" -> Shape(3), "b" -> Shape(3)))
    assertEquals(IndexedSeq(Shape(3), Shape(3)), outShapes)
    // Names that are not arguments are refused with the candidates listed.
    val e = intercept[MXNetError]((a * b).gradient(Seq("c")))
    assertTrue(e.getMessage, e.getMessage.contains("c") && e.getMessage.contains("a, b"))
    intercept[MXNetError]((a * b).gradient(Nil))
  }

  @Test def secondOrderGradientOfCube(): Unit = ResourceScope.using() {
    val x = Symbol.Variable("x")
    val cube = x * x * x
    val first = cube.gradient(Seq("x")) // 3x^2
    val second = first.gradient(Seq("x")) // 6x
    assertEquals(IndexedSeq("x"), second.listArguments())
    assertEquals(1, second.numOutputs)
    val xs = Array(-2f, -0.5f, 0f, 1f, 3f)
    def eval(s: Symbol): Array[Float] = {
      val exec = s.bind(ctx, Seq(NDArray.array(xs, Shape(5))))
      exec.forward()
      exec.outputs(0).toArray
    }
    assertClose(xs.map(v => 3 * v * v), eval(first))
    assertClose(xs.map(v => 6 * v), eval(second))
    // The gradient graph survives a JSON round trip and can be differentiated once more.
    val reloaded = Symbol.loadJson(second.toJson)
    assertClose(xs.map(v => 6 * v), eval(reloaded))
    assertClose(Array.fill(5)(6f), eval(reloaded.gradient(Seq("x"))))
    // It also has a gradient of its own when bound with argsGrad: d(6x)/dx = 6.
    val gx = NDArray.zeros(5)
    val exec = second.bind(ctx, Seq(NDArray.array(xs, Shape(5))), Seq(gx))
    exec.forward(isTrain = true)
    exec.backward(NDArray.ones(5))
    assertClose(Array.fill(5)(6f), gx.toArray)
  }

  @Test def gradientOfALossMatchesBackward(): Unit = ResourceScope.using() {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc")(data)(Map("num_hidden" -> 2))
    val net = Symbol.SoftmaxOutput(name = "sm")(fc)()
    val label = NDArray.array(Array(0f, 1f), Shape(2))
    val args = Map("data" -> NDArray.array(xv, Shape(2, 3)), "fc_weight" -> NDArray.array(wv, Shape(2, 3)),
      "fc_bias" -> NDArray.array(bv, Shape(2)), "sm_label" -> label)
    val grads = Map("fc_weight" -> NDArray.zeros(2, 3), "fc_bias" -> NDArray.zeros(2))
    val exec = net.bind(ctx, args, grads)
    exec.forward(isTrain = true)
    exec.backward()
    val g = net.gradient(Seq("fc_weight", "fc_bias"))
    val gexec = g.bind(ctx, g.listArguments().map(args).toIndexedSeq)
    gexec.forward(isTrain = true)
    assertClose(grads("fc_weight").toArray, gexec.outputs(0).toArray)
    assertClose(grads("fc_bias").toArray, gexec.outputs(1).toArray)
  }
}
