/*
 * The Symbol members MXNet's Scala API documents (seed 000): invoking a symbol as a function,
 * attributes (attr, listAttr, attrMap) under AttrScope, Variable's attributes, internals,
 * children and outputs, both forms of shape and type inference (complete and partial),
 * debugStr, JSON and file round trips, Group. Expected values come from MXNet 1.9.1.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.DType.DType
import org.apache.mxnet.TestUtil._

class SymbolApiTest {
  // data -> fc1 (3 hidden, in AttrScope ctx_group=stage1 with lr_mult 0.5) -> relu1
  private def mlp(): Symbol = {
    val data = Symbol.Variable("data")
    val fc = new AttrScope(Map("ctx_group" -> "stage1")).withScope {
      Symbol.FullyConnected(name = "fc1", attr = Map("lr_mult" -> "0.5"))(data)(Map("num_hidden" -> 3))
    }
    Symbol.Activation(name = "relu1")(fc)(Map("act_type" -> "relu"))
  }

  @Test def applyByNameReplacesVariables(): Unit = ResourceScope.using() {
    val x = Symbol.Variable("x")
    val net = Symbol.FullyConnected(name = "fc")(x)(Map("num_hidden" -> 2))
    val y = Symbol.Variable("y")
    val applied = net("applied", Map("x" -> y * 2))
    assertEquals("applied", applied.name) // the head operator is renamed, as in MXNet
    assertEquals(IndexedSeq("y", "fc_weight", "fc_bias"), applied.listArguments())
    assertEquals(IndexedSeq("applied_output"), applied.listOutputs())
    // Without a name the head keeps its own.
    val same = net(Map("fc_bias" -> Symbol.Variable("b")))
    assertEquals("fc", same.name)
    assertEquals(IndexedSeq("x", "fc_weight", "b"), same.listArguments())
    // The original symbol is untouched.
    assertEquals(IndexedSeq("x", "fc_weight", "fc_bias"), net.listArguments())
    assertEquals("fc", net.name)
    // An unknown name is an engine error that lists the candidates.
    val e = intercept[MXNetError](net("z", Map("nope" -> y)))
    assertTrue(e.getMessage, e.getMessage.contains("nope") && e.getMessage.contains("fc_weight"))
  }

  @Test def applyPositionally(): Unit = ResourceScope.using() {
    val a = Symbol.Variable("a")
    val b = Symbol.Variable("b")
    val net = a * 2 + b
    val p = Symbol.Variable("p")
    val q = Symbol.Variable("q")
    // Inputs replace the arguments in listArguments order.
    val both = net("f", p, q)
    assertEquals("f", both.name)
    assertEquals(IndexedSeq("p", "q"), both.listArguments())
    val first = net(q)
    assertEquals(IndexedSeq("q", "b"), first.listArguments())
    intercept[IllegalArgumentException](net(p, q, a))
    // Evaluated: f(p, q) = 2p + q.
    val exec = both.bind(Context.cpu(), Seq(NDArray.array(Array(1f, 2f), Shape(2)),
      NDArray.array(Array(10f, 20f), Shape(2))))
    exec.forward()
    assertClose(Array(12f, 24f), exec.outputs(0).toArray)
  }

  @Test def attrOfOneNode(): Unit = ResourceScope.using() {
    val net = mlp()
    assertEquals(Some("relu"), net.attr("act_type"))
    assertEquals(None, net.attr("num_hidden"))
    assertEquals(Some("relu1"), net.attr("name"))
    assertEquals(Some("Activation"), net.attr("op_name"))
    assertEquals(Some("null"), Symbol.Variable("v").attr("op_name"))
    assertEquals(Some("0"), net.attr("_value_index"))
    val fc = net.getInternals().get("fc1_output")
    assertEquals(Some("3"), fc.attr("num_hidden"))
    // Hidden keys are read with or without their underscores.
    assertEquals(Some("stage1"), fc.attr("__ctx_group__"))
    assertEquals(Some("stage1"), fc.attr("ctx_group"))
    assertEquals(Some("0.5"), fc.attr("lr_mult"))
    // A group of several nodes has no attributes of its own.
    assertEquals(None, Symbol.Group(fc, net).attr("act_type"))
  }

  @Test def listAttrAndAttrMap(): Unit = ResourceScope.using() {
    val net = mlp()
    assertEquals(Map("act_type" -> "relu"), net.listAttr())
    val fcAttrs = Map("num_hidden" -> "3", "__lr_mult__" -> "0.5", "lr_mult" -> "0.5",
      "__ctx_group__" -> "stage1", "ctx_group" -> "stage1")
    // MXNet 1.9.1: the auto-created parameters carry a copy of the operator's attributes,
    // and every hidden key is listed a second time without underscores.
    assertEquals(Map(
      "fc1_weight" -> fcAttrs,
      "fc1_bias" -> fcAttrs,
      "fc1" -> fcAttrs,
      "relu1" -> Map("act_type" -> "relu")), net.attrMap())
    assertEquals(fcAttrs, net.getInternals().get("fc1_output").listAttr())
    // Nodes without attributes (the variable data) are absent.
    assertFalse(net.attrMap().contains("data"))
  }

  @Test def setAttrAfterCreation(): Unit = ResourceScope.using() {
    val v = Symbol.Variable("v")
    v.setAttr(Map("mood" -> "calm", "lr_mult" -> "3"))
    assertEquals(Some("calm"), v.attr("mood"))
    assertEquals(Some("3"), v.attr("__lr_mult__"))
    assertEquals(Map("mood" -> "calm", "__lr_mult__" -> "3", "lr_mult" -> "3"), v.listAttr())
  }

  @Test def variableAttributes(): Unit = ResourceScope.using() {
    val w = Symbol.Variable("w", attr = Map("mood" -> "calm"), shape = Shape(2, 3),
      lrMult = Some(2f), wdMult = Some(0.5f), dType = DType.Float64,
      kwargs = Map("__init__" -> "[\"zero\", {}]"))
    assertEquals(Map("mood" -> "calm", "__shape__" -> "(2,3)", "__lr_mult__" -> "2.0",
      "lr_mult" -> "2.0", "__wd_mult__" -> "0.5", "wd_mult" -> "0.5", "__dtype__" -> "1",
      "__init__" -> "[\"zero\", {}]"), w.listAttr())
    // The stored shape and dtype take part in inference.
    val (argShapes, outShapes, _) = (w * 2).inferShape(Map.empty[String, Shape])
    assertEquals(IndexedSeq(Shape(2, 3)), argShapes)
    assertEquals(IndexedSeq(Shape(2, 3)), outShapes)
    val (argTypes, outTypes, _) = (w * 2).inferType(Map.empty[String, DType])
    assertEquals(Seq(DType.Float64), argTypes)
    assertEquals(Seq(DType.Float64), outTypes)
    // Only __x__ names are accepted as kwargs; a plain name is refused before anything is made.
    val e = intercept[IllegalArgumentException](Symbol.Variable("u", kwargs = Map("init" -> "zero")))
    assertTrue(e.getMessage.contains("double underscores"))
    // attr wins over the named parameters, as MXNet applied it last.
    assertEquals(Some("(4)"), Symbol.Variable("s", shape = Shape(3), attr = Map("__shape__" -> "(4)"))
      .attr("__shape__"))
    // Variables never consult the NameManager.
    new Prefix("net_").withScope {
      assertEquals("x", Symbol.Variable("x").name)
    }
  }

  @Test def attrScopes(): Unit = ResourceScope.using() {
    val outer = new AttrScope(Map("ctx_group" -> "dev1", "mood" -> "calm"))
    val inner = new AttrScope(Map("mood" -> "busy"))
    outer.withScope {
      val a = Symbol.Variable("a")
      assertEquals(Some("dev1"), a.attr("__ctx_group__"))
      assertEquals(Some("calm"), a.attr("mood"))
      inner.withScope {
        val b = Symbol.Variable("b")
        assertEquals(Some("busy"), b.attr("mood")) // inner wins
        assertEquals(Some("dev1"), b.attr("__ctx_group__")) // outer still applies
        val c = Symbol.Variable("c", attr = Map("mood" -> "mine"))
        assertEquals(Some("mine"), c.attr("mood")) // the call's own attr wins over scopes
        assertEquals(Map("ctx_group" -> "dev1", "mood" -> "busy"), AttrScope.current.get(None))
      }
      assertEquals(Map("ctx_group" -> "dev1", "mood" -> "calm"), AttrScope.current.get(None))
      // An operator node accepts only its parameters and __hidden__ keys, so a scope holding
      // another attribute cannot create operators (as in MXNet, whose parser re-runs).
      intercept[MXNetError](Symbol.FullyConnected(name = "bad")(a)(Map("num_hidden" -> 1)))
    }
    // Operators take the scope's hidden attributes (ctx_group -> __ctx_group__), and so do
    // the parameters created for them.
    val d = Symbol.Variable("d") // made outside the scope
    val fc = new AttrScope(Map("ctx_group" -> "dev2")).withScope {
      Symbol.FullyConnected(name = "fc")(d)(Map("num_hidden" -> 1))
    }
    assertEquals(Some("dev2"), fc.attr("__ctx_group__"))
    assertEquals("dev2", fc.attrMap()("fc_weight")("__ctx_group__"))
    assertEquals(None, fc.attrMap().get("d").flatMap(_.get("__ctx_group__")))
    assertEquals(Map.empty[String, String], AttrScope.current.get(None))
    // The previous scope comes back when the body throws.
    intercept[RuntimeException](outer.withScope { throw new RuntimeException("boom") })
    assertEquals(None, Symbol.Variable("after").attr("mood"))
    assertEquals(Map("ctx_group" -> "dev1", "mood" -> "calm", "k" -> "v"), outer.get(Some(Map("k" -> "v"))))
  }

  @Test def internalsOutputsAndChildren(): Unit = ResourceScope.using() {
    val net = mlp()
    val internals = net.getInternals()
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "fc1_output", "relu1_output"),
      internals.listOutputs())
    assertEquals(5, internals.numOutputs)
    assertNull(internals.name)
    val fc = internals.get("fc1_output")
    assertEquals("fc1", fc.name)
    assertEquals(IndexedSeq("fc1_output"), fc.listOutputs())
    assertEquals(IndexedSeq("data", "fc1_weight"), (0 to 1).map(i => internals.get(i).name))
    intercept[MXNetError](internals.get(5))
    intercept[IllegalArgumentException](internals.get("relu1"))
    // A single-output symbol is its own output 0.
    assertEquals(net.toJson, net.get(0).toJson)
    // Children: the inputs of the head node, grouped; None for a variable.
    val children = net.getChildren()
    assertTrue(children.isDefined)
    assertEquals(IndexedSeq("fc1_output"), children.get.listOutputs())
    assertEquals("fc1", children.get.name)
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias"),
      fc.getChildren().get.listOutputs())
    assertEquals(None, Symbol.Variable("leaf").getChildren())
    // A group's children are those of each head node once.
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "fc1_output"),
      Symbol.Group(fc, net, fc).getChildren().get.listOutputs())
  }

  @Test def listings(): Unit = ResourceScope.using() {
    val net = mlp()
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias"), net.listArguments())
    assertEquals(IndexedSeq("relu1_output"), net.listOutputs())
    assertEquals(IndexedSeq.empty[String], net.listAuxiliaryStates())
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias"), net.listInputs())
    val loss = Symbol.SoftmaxOutput(name = "sm")(net)()
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "sm_label"), loss.listArguments())
    assertEquals(IndexedSeq("sm_output"), loss.listOutputs())
    val group = Symbol.Group(net, loss)
    assertEquals(IndexedSeq("relu1_output", "sm_output"), group.listOutputs())
    assertEquals(IndexedSeq("data", "fc1_weight", "fc1_bias", "sm_label"), group.listArguments())
    assertEquals(2, group.numOutputs)
    assertEquals("<Symbol group [relu1_output, sm_output]>", group.toString)
    assertEquals("<Symbol sm>", loss.toString)
  }

  @Test def inferShapeKeywordAndPositional(): Unit = ResourceScope.using() {
    val net = mlp()
    val expected = (IndexedSeq(Shape(4, 5), Shape(3, 5), Shape(3)), IndexedSeq(Shape(4, 3)),
      IndexedSeq.empty[Shape])
    assertEquals(expected, net.inferShape(Map("data" -> Shape(4, 5))))
    assertEquals(expected, net.inferShape(Shape(4, 5)))
    // Positional with null for the unknown ones, then a shape for a later argument.
    assertEquals(expected, net.inferShape(Shape(4, 5), null, Shape(3)))
    assertEquals(expected, net.inferShape(IndexedSeq(Shape(4, 5), Shape(3, 5)): _*))
    // The CSR form MXNet's lower-level call took: two shapes (4,5) and (3,5).
    assertEquals(expected,
      net.inferShape(Array("data", "fc1_weight"), Array(0, 2, 4), Array(4, 5, 3, 5)))
    // Not enough information: three nulls (MXNet's tuple of Nones).
    assertEquals((null, null, null), net.inferShape(Map("fc1_bias" -> Shape(3))))
    assertEquals((null, null, null), net.inferShape(Map("data" -> Shape(0, 5))))
    // Inconsistent shapes: an engine error naming the operator and the shapes.
    val e = intercept[MXNetError](net.inferShape(Map("data" -> Shape(4, 5), "fc1_weight" -> Shape(3, 6))))
    assertTrue(e.getMessage, e.getMessage.contains("fc1") && e.getMessage.contains("inconsistent"))
    // Unknown names are errors too.
    intercept[MXNetError](net.inferShape(Map("nope" -> Shape(1))))
  }

  @Test def inferShapePartial(): Unit = ResourceScope.using() {
    val net = mlp()
    val (args, outs, aux) = net.inferShapePartial(Map("fc1_weight" -> Shape(3, 5)))
    assertEquals(Shape(), args(0)) // data: unknown
    assertEquals(Shape(3, 5), args(1))
    assertEquals(3, args.size)
    assertEquals(1, outs.size)
    assertEquals(IndexedSeq.empty[Shape], aux)
    // An unknown dimension reads 0.
    val (args2, outs2, _) = net.inferShapePartial(Map("data" -> Shape(0, 5)))
    assertEquals(Shape(0, 5), args2(0))
    assertEquals(Shape(3, 5), args2(1))
    assertEquals(Shape(3), args2(2))
    assertEquals(IndexedSeq(Shape(0, 3)), outs2)
    // Positional form; complete information gives the same as inferShape.
    assertEquals(net.inferShape(Shape(4, 5)), net.inferShapePartial(Shape(4, 5)))
    val (args3, _, _) = net.inferShapePartial(null, Shape(3, 5))
    assertEquals(IndexedSeq(Shape(), Shape(3, 5)), args3.take(2))
  }

  @Test def inferTypeAndPartial(): Unit = ResourceScope.using() {
    val x = Symbol.Variable("x")
    val y = Symbol.Variable("y")
    val net = x * y + 1
    assertEquals((Seq(DType.Float64, DType.Float64), Seq(DType.Float64), Seq.empty[DType]),
      net.inferType(Map("x" -> DType.Float64)))
    assertEquals((Seq(DType.Float16, DType.Float16), Seq(DType.Float16), Seq.empty[DType]),
      net.inferType(null, DType.Float16))
    val unrelated = Symbol.Group(x * 2, y * 3)
    // Incomplete: three nulls; the partial form says what it knows, null for the rest.
    assertEquals((null, null, null), unrelated.inferType(Map("x" -> DType.Int32)))
    assertEquals((Seq(DType.Int32, null), Seq(DType.Int32, null), Seq.empty[DType]),
      unrelated.inferTypePartial(Map("x" -> DType.Int32)))
    assertEquals((Seq(null, DType.Float64), Seq(null, DType.Float64), Seq.empty[DType]),
      unrelated.inferTypePartial(null, DType.Float64))
    assertEquals((Seq(null, null), Seq(null, null), Seq.empty[DType]),
      unrelated.inferTypePartial(Map.empty[String, DType]))
    // Inconsistent types are errors.
    intercept[MXNetError](net.inferType(Map("x" -> DType.Float32, "y" -> DType.Float64)))
  }

  @Test def debugStrFormat(): Unit = ResourceScope.using() {
    // The text MXNet 1.9.1 prints for the same graph.
    assertEquals(
      "Symbol Outputs:\n\toutput[0]=relu1(0)\nVariable:data\nVariable:fc1_weight\nVariable:fc1_bias\n" +
        "--------------------\nOp:FullyConnected, Name=fc1\nInputs:\n\targ[0]=data(0) version=0\n" +
        "\targ[1]=fc1_weight(0) version=0\n\targ[2]=fc1_bias(0) version=0\nAttrs:\n" +
        "\t__ctx_group__=stage1\n\t__lr_mult__=0.5\n\tnum_hidden=3\n--------------------\n" +
        "Op:Activation, Name=relu1\nInputs:\n\targ[0]=fc1(0)\nAttrs:\n\tact_type=relu\n",
      mlp().debugStr)
    assertEquals("Variable:data\n", Symbol.Variable("data").debugStr)
  }

  @Test def jsonAndFileRoundTrips(): Unit = ResourceScope.using() {
    val x = Symbol.Variable("x", attr = Map("mood" -> "calm"), lrMult = Some(2f))
    val cube = new NameManager().withScope(x * x * x)
    // Byte for byte what MXNet 1.9.1 writes for this graph.
    val expected =
      """{
        |  "nodes": [
        |    {
        |      "op": "null", 
        |      "name": "x", 
        |      "attrs": {
        |        "__lr_mult__": "2.0", 
        |        "mood": "calm"
        |      }, 
        |      "inputs": []
        |    }, 
        |    {
        |      "op": "elemwise_mul", 
        |      "name": "_mul0", 
        |      "inputs": [[0, 0, 0], [0, 0, 0]]
        |    }, 
        |    {
        |      "op": "elemwise_mul", 
        |      "name": "_mul1", 
        |      "inputs": [[1, 0, 0], [0, 0, 0]]
        |    }
        |  ], 
        |  "arg_nodes": [0], 
        |  "node_row_ptr": [0, 1, 2, 3], 
        |  "heads": [[2, 0, 0]], 
        |  "attrs": {"mxnet_version": ["int", 10901]}
        |}""".stripMargin
    assertEquals(expected, cube.toJson)
    val back = Symbol.loadJson(expected)
    assertEquals(expected, back.toJson)
    assertEquals(IndexedSeq("x"), back.listArguments())
    assertEquals(IndexedSeq("_mul1_output"), back.listOutputs())
    assertEquals(Some("calm"), back.getInternals().get("x").attr("mood"))

    val net = mlp()
    val file = java.io.File.createTempFile("loom-scala", "-symbol.json")
    try {
      net.save(file.getPath)
      val text = new String(java.nio.file.Files.readAllBytes(file.toPath), "UTF-8")
      assertEquals(net.toJson, text)
      val loaded = Symbol.load(file.getPath)
      assertEquals(net.toJson, loaded.toJson)
      assertEquals(net.attrMap(), loaded.attrMap())
      assertEquals(net.inferShape(Shape(4, 5)), loaded.inferShape(Shape(4, 5)))
    } finally file.delete()
    intercept[MXNetError](Symbol.load(file.getPath + ".missing"))
    intercept[MXNetError](Symbol.loadJson("{not json"))
  }

  @Test def groups(): Unit = ResourceScope.using() {
    val a = Symbol.Variable("a")
    val b = Symbol.Variable("b")
    val g = Symbol.Group(a + b, a * b, a)
    assertEquals(3, g.numOutputs)
    assertEquals(IndexedSeq("a", "b"), g.listArguments())
    val (_, outs, _) = g.inferShape(Map("a" -> Shape(2), "b" -> Shape(2)))
    assertEquals(IndexedSeq(Shape(2), Shape(2), Shape(2)), outs)
    // A group round-trips through JSON with all its heads.
    assertEquals(g.listOutputs(), Symbol.loadJson(g.toJson).listOutputs())
    // Groups nest: the outputs are concatenated.
    assertEquals(4, Symbol.Group(g, b).numOutputs)
    val exec = g.bind(Context.cpu(), Map("a" -> NDArray.array(Array(1f, 2f), Shape(2)),
      "b" -> NDArray.array(Array(3f, 4f), Shape(2))))
    exec.forward()
    assertClose(Array(4f, 6f), exec.outputs(0).toArray)
    assertClose(Array(3f, 8f), exec.outputs(1).toArray)
    assertClose(Array(1f, 2f), exec.outputs(2).toArray)
  }
}
