/*
 * The operator forms of MXNet's Scala Symbol beyond + - * /: ** and % (with scalars on either
 * side), comparisons, Symbol.pow / max / min / equal / notEqual / greater... , zeros / ones /
 * arange and createFromListedSymbols / createFromNamedSymbols. Checked: the operator each
 * creates (spec §3), MXNet Scala's automatic names, the scalar parameter, shapes, and values.
 *
 * Operators are registered by their own families; a test whose operators are not registered
 * in this build, or have no CPU kernel yet, is skipped (an assumption failure), not failed.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Assume.assumeTrue
import org.junit.Test

import org.apache.mxnet.DType.DType
import org.apache.mxnet.TestUtil._

class SymbolOperatorTest {
  private val ctx = Context.cpu()
  private val av = Array(1f, 2f, 3f, 4f)
  private val bv = Array(2f, 2f, 2f, 5f)

  private def assumeOps(names: String*): Unit = {
    val registered = Loom.listAllOpNames().toSet
    val missing = names.filterNot(registered)
    assumeTrue(s"operators not registered in this build: ${missing.mkString(", ")}", missing.isEmpty)
  }

  // The operator of a single-output symbol's head node, as its JSON names it.
  private def opOf(s: Symbol): String = {
    val node = ("\"op\": \"([^\"]+)\",\\s*\"name\": \"" +
      java.util.regex.Pattern.quote(s.name) + "\"").r
    node.findFirstMatchIn(s.toJson).map(_.group(1))
      .getOrElse(throw new AssertionError(s"no operator in ${s.toJson}"))
  }

  // Forward values of `s` on a = av, b = bv (whichever it uses); skipped without kernels.
  private def eval(s: Symbol): Array[Float] = {
    val values = Map("a" -> av, "b" -> bv)
    val args = s.listArguments().map(n => NDArray.array(values(n), Shape(4)))
    val exec = try s.bind(ctx, args) catch {
      case e: MXNetError if e.getMessage.contains("has no kernel") =>
        assumeTrue(e.getMessage, false); throw e
    }
    exec.forward()
    exec.outputs(0).toArray
  }

  // (symbol, operator, automatic name, scalar parameter or null, expected values). Every
  // case's graph is checked before any is evaluated, so a missing kernel skips only values.
  private def check(cases: Seq[(Symbol, String, String, String, Array[Float])]): Unit = {
    for ((s, op, name, scalar, _) <- cases) {
      assertEquals(s"op of $name", op, opOf(s))
      assertEquals(name, s.name)
      assertEquals(s"scalar of $name", Option(scalar), s.attr("scalar"))
      val (_, outs, _) = s.inferShape(s.listArguments().map(_ => Shape(4)): _*)
      assertEquals(IndexedSeq(Shape(4)), outs)
      val (_, types, _) = s.inferType(s.listArguments().map(_ => DType.Float64): _*)
      assertEquals(Seq(DType.Float64), types)
    }
    for ((s, _, name, _, values) <- cases) {
      val got = eval(s)
      assertClose(values, got)
    }
  }

  @Test def power(): Unit = {
    // Int has no ** of its own, so 2 ** a needs the conversions in scope, as in MXNet.
    import org.apache.mxnet.SymbolConversions._
    assumeOps("_power", "_power_scalar", "_rpower_scalar")
    ResourceScope.using() {
      new NameManager().withScope {
        val a = Symbol.Variable("a")
        val b = Symbol.Variable("b")
        check(Seq(
          (a ** b, "_power", "_power0", null, Array(1f, 4f, 9f, 1024f)),
          (a ** 2, "_power_scalar", "_powerscalar0", "2", Array(1f, 4f, 9f, 16f)),
          (a ** 0.5f, "_power_scalar", "_powerscalar1", "0.5", av.map(v => math.sqrt(v).toFloat)),
          (2 ** a, "_rpower_scalar", "_rpowerscalar0", "2", Array(2f, 4f, 8f, 16f)),
          (Symbol.pow(a, b), "_power", "_power1", null, Array(1f, 4f, 9f, 1024f)),
          (Symbol.pow(a, 3), "_power_scalar", "_powerscalar2", "3", Array(1f, 8f, 27f, 64f)),
          (Symbol.pow(3.0, a), "_rpower_scalar", "_rpowerscalar1", "3.0", Array(3f, 9f, 27f, 81f))))
      }
    }
  }

  @Test def modulo(): Unit = {
    assumeOps("_mod", "_mod_scalar", "_rmod_scalar")
    ResourceScope.using() {
      new NameManager().withScope {
        val a = Symbol.Variable("a")
        val b = Symbol.Variable("b")
        check(Seq(
          (a % b, "_mod", "_mod0", null, Array(1f, 0f, 1f, 4f)),
          (a % 3, "_mod_scalar", "_modscalar0", "3", Array(1f, 2f, 0f, 1f)),
          (7 % a, "_rmod_scalar", "_rmodscalar0", "7", Array(0f, 1f, 1f, 3f))))
      }
    }
  }

  @Test def comparisons(): Unit = {
    assumeOps("_greater", "_greater_equal", "_lesser", "_lesser_equal", "_greater_scalar",
      "_greater_equal_scalar", "_lesser_scalar", "_lesser_equal_scalar")
    ResourceScope.using() {
      new NameManager().withScope {
        val a = Symbol.Variable("a")
        val b = Symbol.Variable("b")
        check(Seq(
          (a > b, "_greater", "_greater0", null, Array(0f, 0f, 1f, 0f)),
          (a >= b, "_greater_equal", "_greater_equal0", null, Array(0f, 1f, 1f, 0f)),
          (a < b, "_lesser", "_lesser0", null, Array(1f, 0f, 0f, 1f)),
          (a <= b, "_lesser_equal", "_lesser_equal0", null, Array(1f, 1f, 0f, 1f)),
          (a > 2, "_greater_scalar", "_greater_scalar0", "2", Array(0f, 0f, 1f, 1f)),
          (a >= 2f, "_greater_equal_scalar", "_greater_equal_scalar0", "2.0", Array(0f, 1f, 1f, 1f)),
          (a < 2.5, "_lesser_scalar", "_lesser_scalar0", "2.5", Array(1f, 1f, 0f, 0f)),
          (a <= 3L, "_lesser_equal_scalar", "_lesser_equal_scalar0", "3", Array(1f, 1f, 1f, 0f)),
          // A scalar on the left flips the relation, as MXNet Scala did.
          (2 > a, "_lesser_scalar", "_lesser_scalar1", "2", Array(1f, 0f, 0f, 0f)),
          (2 >= a, "_lesser_equal_scalar", "_lesser_equal_scalar1", "2", Array(1f, 1f, 0f, 0f)),
          (2 < a, "_greater_scalar", "_greater_scalar1", "2", Array(0f, 0f, 1f, 1f)),
          (2 <= a, "_greater_equal_scalar", "_greater_equal_scalar1", "2", Array(0f, 1f, 1f, 1f)),
          (Symbol.greater(a, b), "_greater", "_greater1", null, Array(0f, 0f, 1f, 0f)),
          (Symbol.lesserEqual(a, 1), "_lesser_equal_scalar", "_lesser_equal_scalar2", "1",
            Array(1f, 0f, 0f, 0f))))
      }
    }
  }

  @Test def equality(): Unit = {
    assumeOps("_equal", "_not_equal", "_equal_scalar", "_not_equal_scalar")
    ResourceScope.using() {
      new NameManager().withScope {
        val a = Symbol.Variable("a")
        val b = Symbol.Variable("b")
        check(Seq(
          (Symbol.equal(a, b), "_equal", "_equal0", null, Array(0f, 1f, 0f, 0f)),
          (Symbol.equal(a, 2), "_equal_scalar", "_equal_scalar0", "2", Array(0f, 1f, 0f, 0f)),
          (Symbol.equal(4, a), "_equal_scalar", "_equal_scalar1", "4", Array(0f, 0f, 0f, 1f)),
          (Symbol.notEqual(a, b), "_not_equal", "_not_equal0", null, Array(1f, 0f, 1f, 1f)),
          (Symbol.notEqual(a, 2), "_not_equal_scalar", "_not_equal_scalar0", "2", Array(1f, 0f, 1f, 1f))))
      }
    }
  }

  @Test def maximumAndMinimum(): Unit = {
    assumeOps("_maximum", "_minimum", "_maximum_scalar", "_minimum_scalar")
    ResourceScope.using() {
      new NameManager().withScope {
        val a = Symbol.Variable("a")
        val b = Symbol.Variable("b")
        check(Seq(
          (Symbol.max(a, b), "_maximum", "_maximum0", null, Array(2f, 2f, 3f, 5f)),
          (Symbol.max(a, 2.5f), "_maximum_scalar", "_maximumscalar0", "2.5", Array(2.5f, 2.5f, 3f, 4f)),
          (Symbol.max(2, a), "_maximum_scalar", "_maximumscalar1", "2", Array(2f, 2f, 3f, 4f)),
          (Symbol.min(a, b), "_minimum", "_minimum0", null, Array(1f, 2f, 2f, 4f)),
          (Symbol.min(2.5, a), "_minimum_scalar", "_minimumscalar0", "2.5", Array(1f, 2f, 2.5f, 2.5f))))
      }
    }
  }

  @Test def filledSymbols(): Unit = {
    assumeOps("_zeros", "_ones")
    ResourceScope.using() {
      new NameManager().withScope {
        val z = Symbol.zeros(Shape(2, 3))
        assertEquals("_zeros", opOf(z))
        assertEquals("_zeros0", z.name)
        assertEquals(Some("(2,3)"), z.attr("shape"))
        assertEquals(IndexedSeq.empty[String], z.listArguments())
        assertEquals((IndexedSeq.empty[Shape], IndexedSeq(Shape(2, 3)), IndexedSeq.empty[Shape]),
          z.inferShape(Map.empty[String, Shape]))
        val o = Symbol.ones(Shape(4), DType.Float64)
        assertEquals("_ones0", o.name)
        assertEquals(Seq(DType.Float64), o.inferType(Map.empty[String, DType])._2)
        assertClose(Array(1f, 1f, 1f, 1f), eval(o))
        assertClose(Array.fill(6)(0f), eval(z))
      }
    }
  }

  @Test def arange(): Unit = {
    assumeOps("_arange")
    ResourceScope.using() {
      new NameManager().withScope {
        val r = Symbol.arange(1f, Some(4f), step = 0.5f)
        assertEquals("_arange", opOf(r))
        assertEquals("_arange0", r.name)
        assertEquals(IndexedSeq(Shape(6)), r.inferShape(Map.empty[String, Shape])._2)
        assertClose(Array(1f, 1.5f, 2f, 2.5f, 3f, 3.5f), eval(r))
        val rep = Symbol.arange(0f, Some(3f), repeat = 2, name = "rep")
        assertEquals("rep", rep.name)
        assertClose(Array(0f, 0f, 1f, 1f, 2f, 2f), eval(rep))
      }
    }
  }

  @Test def createFromListedAndNamedSymbols(): Unit = ResourceScope.using() {
    new NameManager().withScope {
      val a = Symbol.Variable("a")
      val b = Symbol.Variable("b")
      // MXNet Scala names the result after the operator name as written, lower-cased.
      val plus = Symbol.createFromListedSymbols("_Plus")(Array(a, b))
      assertEquals("elemwise_add", opOf(plus))
      assertEquals("_plus0", plus.name)
      assertClose(Array(3f, 4f, 5f, 9f), eval(plus))
      val half = Symbol.createFromListedSymbols("_MulScalar", name = "half")(Array(a), Map("scalar" -> "0.5"))
      assertEquals("half", half.name)
      assertClose(av.map(_ * 0.5f), eval(half))
      val act = Symbol.createFromListedSymbols("Activation")(Array(a), Map("act_type" -> "relu"))
      assertEquals("activation0", act.name)
      val fc = Symbol.createFromNamedSymbols("FullyConnected", "fc", Map("ctx_group" -> "g"))(
        Map("data" -> a), Map("num_hidden" -> "3"))
      assertEquals(IndexedSeq("a", "fc_weight", "fc_bias"), fc.listArguments())
      assertEquals(Some("g"), fc.attr("__ctx_group__"))
      val sum = Symbol.createFromListedSymbols("add_n")(Array(a, b, a))
      assertEquals(Some("3"), sum.attr("num_args")) // the variadic count is filled in
      assertClose(Array(4f, 6f, 8f, 13f), eval(sum))
      intercept[IllegalArgumentException](
        Symbol.createFromNamedSymbols("add_n")(Map("args" -> a)))
      intercept[MXNetError](Symbol.createFromListedSymbols("NoSuchOp")(Array(a)))
    }
  }

  @Test def scalarConversionsByImport(): Unit = ResourceScope.using() {
    // MXNet code imported the conversions explicitly; that keeps compiling and meaning the same.
    import org.apache.mxnet.SymbolConversions._
    new NameManager().withScope {
      val a = Symbol.Variable("a")
      val r = 10 - a
      assertEquals("_rminus_scalar", opOf(r))
      assertEquals("_rminusscalar0", r.name)
      assertClose(av.map(10 - _), eval(r))
      assertClose(av.map(v => 1 / v), eval(1.0 / a))
      assertClose(av.map(_ + 0.5f), eval(0.5f + a))
      assertClose(av.map(_ * 3), eval(3L * a))
    }
  }
}
