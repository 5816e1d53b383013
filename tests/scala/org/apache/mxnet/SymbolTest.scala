/*
 * Symbol composition through the registry-driven operator calls (classic and typed forms),
 * MXNet's automatic naming, argument/output listing, shape and type inference, JSON and
 * internals.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class SymbolTest {
  @Test def classicOperatorForm(): Unit = {
    val data = Symbol.Variable("data")
    val fc1 = Symbol.FullyConnected(name = "fc1")()(Map("data" -> data, "num_hidden" -> 128))
    val act = Symbol.Activation(name = "relu1")(fc1)(Map("act_type" -> "relu"))
    val fc2 = Symbol.FullyConnected("fc2")(act)(Map("num_hidden" -> 10, "no_bias" -> false))
    val out = Symbol.SoftmaxOutput(name = "softmax")()(Map("data" -> fc2))
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "softmax_label"),
      out.listArguments())
    assertEquals(IndexedSeq("softmax_output"), out.listOutputs())
    assertEquals(IndexedSeq.empty, out.listAuxiliaryStates())
    assertEquals("softmax", out.name)
    assertEquals(Some("relu"), act.attr("act_type"))
    assertEquals(Some("128"), fc1.attr("num_hidden"))
    assertEquals(Some("False"), fc2.attr("no_bias")) // Booleans go over as Python spells them
    Seq(data, fc1, act, fc2, out).foreach(_.dispose())
  }

  @Test def aliasesResolveToTheirOperator(): Unit = {
    val data = Symbol.Variable("data")
    val sm = Symbol.Softmax(name = "sm")()(Map("data" -> data))
    assertEquals(IndexedSeq("sm_output"), sm.listOutputs())
    assertTrue(sm.toJson.contains("\"op\": \"SoftmaxOutput\""))
    val e = try { Symbol.NoSuchOp(name = "x")()(Map("data" -> data)); null }
            catch { case err: MXNetError => err }
    assertTrue(e != null && e.getMessage.contains("NoSuchOp"))
    Seq(data, sm).foreach(_.dispose())
  }

  @Test def typedApiForm(): Unit = {
    val data = Symbol.Variable("x")
    val fc = Symbol.api.FullyConnected(data = Some(data), num_hidden = 4, name = "fc", no_bias = true)
    assertEquals(IndexedSeq("x", "fc_weight"), fc.listArguments())
    val act = Symbol.api.Activation(Some(fc), "tanh")
    assertEquals(Some("tanh"), act.attr("act_type"))
    Seq(data, fc, act).foreach(_.dispose())
  }

  @Test def automaticNames(): Unit = {
    new NameManager().withScope {
      val a = Symbol.Variable("a")
      val b = Symbol.Variable("b")
      val fc0 = Symbol.FullyConnected()(a)(Map("num_hidden" -> 2))
      val fc1 = Symbol.FullyConnected()(b)(Map("num_hidden" -> 2))
      assertEquals("fullyconnected0", fc0.name)
      assertEquals("fullyconnected1", fc1.name)
      assertEquals(IndexedSeq("a", "fullyconnected0_weight", "fullyconnected0_bias"), fc0.listArguments())
      assertEquals("activation0", Symbol.Activation()(fc0)(Map("act_type" -> "relu")).name)
      assertEquals("_plus0", (a + b).name)
      assertEquals("_minus0", (a - b).name)
      assertEquals("_mul0", (a * b).name)
      assertEquals("_div0", (a / b).name)
      assertEquals("_plusscalar0", (a + 1).name)
      assertEquals("_minusscalar0", (a - 1f).name)
      assertEquals("_rminusscalar0", (1 - a).name)
      assertEquals("_mulscalar0", (a * 2.0).name)
      assertEquals("_mulscalar1", (-a).name)
      assertEquals("_divscalar0", (a / 2).name)
      assertEquals("_rdivscalar0", (2 / a).name)
      assertEquals("_plusscalar1", (3 + a).name)
      assertEquals("_mulscalar2", (3 * a).name)
      // A fresh manager restarts counting; the outer one keeps its counters.
      new NameManager().withScope {
        assertEquals("_plus0", (a + b).name)
      }
      assertEquals("_plus1", (a + b).name)
      // Explicit names are kept.
      assertEquals("mine", Symbol.FullyConnected("mine")(a)(Map("num_hidden" -> 1)).name)
    }
  }

  @Test def scalarParamsAsStrings(): Unit = {
    val a = Symbol.Variable("a")
    assertEquals(Some("2"), (a + 2).attr("scalar"))
    assertEquals(Some("0.5"), (a * 0.5f).attr("scalar"))
    assertEquals(Some("-1.0"), (-a).attr("scalar"))
    assertEquals(Some("3"), (3 - a).attr("scalar"))
    a.dispose()
  }

  @Test def inferShapeComplete(): Unit = {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 5))
    val (args, outs, aux) = fc.inferShape(Map("data" -> Shape(4, 6)))
    assertEquals(IndexedSeq(Shape(4, 6), Shape(5, 6), Shape(5)), args)
    assertEquals(IndexedSeq(Shape(4, 5)), outs)
    assertEquals(IndexedSeq.empty, aux)
    // Positional form, in listArguments order.
    val (args2, outs2, _) = fc.inferShape(Shape(4, 6))
    assertEquals(args, args2)
    assertEquals(outs, outs2)
  }

  @Test def inferShapeIncompleteGivesNulls(): Unit = {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 5))
    val (args, outs, aux) = fc.inferShape(Map("fc1_bias" -> Shape(5)))
    assertNull(args)
    assertNull(outs)
    assertNull(aux)
    val (pargs, _, _) = fc.inferShapePartial(Map("fc1_bias" -> Shape(5)))
    assertEquals(Shape(5), pargs(2))
  }

  @Test def inferType(): Unit = {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 5))
    val (args, outs, _) = fc.inferType(Map("data" -> DType.Float32))
    assertEquals(Seq(DType.Float32, DType.Float32, DType.Float32), args)
    assertEquals(Seq(DType.Float32), outs)
  }

  @Test def jsonRoundTrip(): Unit = {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 3))
    val net = Symbol.Activation(name = "act")(fc)(Map("act_type" -> "sigmoid"))
    val json = net.toJson
    assertTrue(json.contains("\"FullyConnected\""))
    assertTrue(json.contains("\"num_hidden\": \"3\""))
    val back = Symbol.loadJson(json)
    assertEquals(net.listArguments(), back.listArguments())
    assertEquals(net.listOutputs(), back.listOutputs())
    assertEquals(json, back.toJson)
    val file = java.io.File.createTempFile("loom-scala", "-symbol.json")
    try {
      net.save(file.getPath)
      val loaded = Symbol.load(file.getPath)
      assertEquals(json, loaded.toJson)
    } finally file.delete()
  }

  @Test def outputsAndInternals(): Unit = {
    val data = Symbol.Variable("data")
    val fc = Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 3))
    val net = Symbol.Activation(name = "act")(fc)(Map("act_type" -> "relu"))
    val internals = net.getInternals()
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "fc1_output", "act_output"),
      internals.listOutputs())
    val fcOut = internals.get("fc1_output")
    assertEquals(IndexedSeq("fc1_output"), fcOut.listOutputs())
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias"), fcOut.listArguments())
    assertEquals(IndexedSeq("act_output"), internals.get(4).listOutputs())
    intercept[IllegalArgumentException](internals.get("nope"))
    val group = Symbol.Group(fc, net)
    assertEquals(IndexedSeq("fc1_output", "act_output"), group.listOutputs())
    assertNull(group.name)
  }

  @Test def composeCallsReplaceVariables(): Unit = {
    val x = Symbol.Variable("x")
    val net = Symbol.FullyConnected(name = "fc")(x)(Map("num_hidden" -> 2))
    val y = Symbol.Variable("y")
    val pre = y * 2
    val composed = net("fc_applied", Map("x" -> pre))
    assertEquals("y", composed.listArguments().head)
    assertEquals(IndexedSeq("x", "fc_weight", "fc_bias"), net.listArguments()) // original intact
  }

  @Test def attributesAndScopes(): Unit = {
    val v = Symbol.Variable("w", attr = Map("mood" -> "calm"), shape = Shape(2, 3), lrMult = Some(2f))
    assertEquals(Some("calm"), v.attr("mood"))
    assertEquals(Some("(2,3)"), v.attr("__shape__"))
    assertEquals(Some("2.0"), v.attr("__lr_mult__"))
    new AttrScope(Map("ctx_group" -> "stage1")).withScope {
      val a = Symbol.Variable("a")
      val fc = Symbol.FullyConnected(name = "fc")(a)(Map("num_hidden" -> 1))
      assertEquals(Some("stage1"), fc.attr("__ctx_group__"))
      assertTrue(fc.attrMap().contains("fc"))
    }
    assertTrue(v.listAttr().contains("mood"))
    val a = Symbol.Variable("a")
    val fc = Symbol.FullyConnected(name = "fc", attr = Map("lr_mult" -> "2"))(a)(Map("num_hidden" -> 1))
    assertEquals(Some("2"), fc.attr("__lr_mult__"))
    assertEquals(Some("2"), fc.attr("lr_mult"))
  }

  @Test def parameterText(): Unit = {
    import OperatorRegistry.paramString
    assertEquals("True", paramString(true))
    assertEquals("False", paramString(false))
    assertEquals("(2,3)", paramString(Shape(2, 3)))
    assertEquals("(3,3)", paramString((3, 3)))
    assertEquals("(1,2,4)", paramString(Seq(1, 2, 4)))
    assertEquals("0.5", paramString(0.5f))
    assertEquals("7", paramString(7))
    assertEquals("float32", paramString(DType.Float32))
    assertEquals("relu", paramString("relu"))
  }

  @Test def operatorInfoFromTheRegistry(): Unit = {
    val fc = OperatorRegistry("FullyConnected")
    assertEquals(IndexedSeq("data", "weight", "bias"), fc.inputNames)
    assertTrue(fc.paramNames.contains("num_hidden"))
    assertFalse(fc.variadic)
    intercept[MXNetError](Symbol.NoSuchOperator(name = "x"))
    intercept[IllegalArgumentException](Symbol.FullyConnected(num_hidden = 3))
  }
}
