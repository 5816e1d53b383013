/*
 * The NativeResource members MXNet's Scala API gave every Symbol (nativeAddress,
 * nativeDeAllocator, ref, register, bytesAllocated) and what dispose() means for symbols:
 * graphs outlive the handles they were composed from, and a disposed symbol refuses use.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class SymbolResourceTest {
  @Test def nativeMembers(): Unit = {
    val s = Symbol.Variable("x")
    val address = s.nativeAddress
    assertTrue(address != 0L)
    assertSame(s.ref, s.register()) // registered once, at creation
    assertEquals(address, s.ref.nativeAddress)
    assertFalse(s.ref.isReleased)
    assertEquals(0L, s.bytesAllocated) // MXNet could not tell a symbol's size either
    s.dispose()
    assertTrue(s.ref.isReleased)
    assertFalse(s.ref.releasedByCleaner)
    intercept[IllegalStateException](s.nativeAddress)
    // The deallocator follows the C convention: 0 on success, -1 for a handle it cannot free.
    val raw = Base._LIB.symCreateVariable("raw")
    assertEquals(0, s.nativeDeAllocator(raw))
    assertEquals(-1, s.nativeDeAllocator(raw))
    assertEquals(-1, s.ref.resourceDeAllocator(address)) // already freed by dispose
  }

  @Test def bytesAllocatedOfArraysAndExecutors(): Unit = ResourceScope.using() {
    assertEquals(24L, NDArray.zeros(2, 3).bytesAllocated)
    assertEquals(48L, NDArray.zeros(Shape(2, 3), dtype = DType.Float64).bytesAllocated)
    assertEquals(3L, NDArray.zeros(Shape(3), dtype = DType.UInt8).bytesAllocated)
    val a = NDArray.ones(4)
    val exec = (Symbol.Variable("v") * 2).bind(Context.cpu(), Seq(a))
    assertEquals(0L, exec.bytesAllocated)
    assertEquals(16L, exec.outputs(0).bytesAllocated)
    a.dispose()
    assertEquals(0L, a.bytesAllocated)
  }

  @Test def registerHandsAnObjectToTheCurrentScope(): Unit = {
    val s = Symbol.Variable("outside")
    val a = NDArray.ones(2)
    ResourceScope.using() {
      assertSame(s.ref, s.register())
      a.register()
    }
    assertTrue(s.isDisposed)
    assertTrue(a.isDisposed)
    // Registering a disposed object does nothing.
    ResourceScope.using() { s.register() }
  }

  @Test def cleanerReleaseIsVisibleThroughTheRef(): Unit = {
    def forgotten(): NativeResourceRef = Symbol.Variable("forgotten").ref
    val ref = forgotten()
    val deadline = System.currentTimeMillis() + 20000
    while (!ref.isReleased && System.currentTimeMillis() < deadline) {
      System.gc()
      Thread.sleep(20)
    }
    assertTrue(ref.isReleased)
    assertTrue(ref.releasedByCleaner)
  }

  @Test def graphsOutliveTheSymbolsTheyWereBuiltFrom(): Unit = {
    val a = Symbol.Variable("a")
    val b = Symbol.Variable("b")
    val fc = Symbol.FullyConnected(name = "fc")(a)(Map("num_hidden" -> 2))
    val net = fc + b
    val group = Symbol.Group(fc, net)
    val copy = net.clone()
    Seq(a, b, fc).foreach(_.dispose())
    assertEquals(IndexedSeq("a", "fc_weight", "fc_bias", "b"), net.listArguments())
    assertEquals(IndexedSeq("fc_output", net.name + "_output"), group.listOutputs())
    val (_, outs, _) = group.inferShape(Map("a" -> Shape(1, 3)))
    assertEquals(IndexedSeq(Shape(1, 2), Shape(1, 2)), outs)
    net.dispose()
    assertEquals(net.toString, "<Symbol (disposed)>")
    // The copy and the group are independent of the disposed handles.
    assertEquals(IndexedSeq("a", "fc_weight", "fc_bias", "b"), copy.listArguments())
    assertEquals(2, group.numOutputs)
    Seq(group, copy).foreach(_.dispose())
  }

  @Test def disposedSymbolsRefuseEveryUse(): Unit = {
    val x = Symbol.Variable("x")
    val net = x * 2
    val dead = Symbol.Variable("dead")
    dead.dispose()
    dead.dispose() // harmless
    dead.close()
    val uses: Seq[(String, () => Any)] = Seq(
      "toJson" -> (() => dead.toJson),
      "debugStr" -> (() => dead.debugStr),
      "listArguments" -> (() => dead.listArguments()),
      "attr" -> (() => dead.attr("k")),
      "attrMap" -> (() => dead.attrMap()),
      "inferShape" -> (() => dead.inferShape(Shape(1))),
      "inferType" -> (() => dead.inferType(DType.Float32)),
      "gradient" -> (() => dead.gradient(Seq("dead"))),
      "getInternals" -> (() => dead.getInternals()),
      "getChildren" -> (() => dead.getChildren()),
      "save" -> (() => dead.save("/nonexistent/never-written.json")),
      "clone" -> (() => dead.clone()),
      "arithmetic" -> (() => dead + x),
      "as an input" -> (() => x * dead),
      "in a group" -> (() => Symbol.Group(x, dead)),
      "in apply" -> (() => net("n", Map("x" -> dead))),
      "bind" -> (() => dead.bind(Context.cpu(), Seq(NDArray.zeros(1)))))
    for ((what, use) <- uses) {
      try { use(); fail(s"$what on a disposed symbol did not throw") }
      catch { case e: IllegalStateException => assertTrue(e.getMessage.contains("disposed")) }
    }
    // Nothing was left half-made: the live symbols are intact.
    assertEquals(IndexedSeq("x"), net.listArguments())
    Seq(x, net).foreach(_.dispose())
  }

  @Test def symbolsInScopes(): Unit = {
    var made: Seq[Symbol] = Nil
    val kept = ResourceScope.using() {
      val x = Symbol.Variable("x")
      val y = x * 3
      val g = y.gradient(Seq("x"))
      made = Seq(x, y, g)
      Symbol.Group(y, g)
    }
    assertTrue(made.forall(_.isDisposed))
    assertFalse(kept.isDisposed)
    assertEquals(2, kept.numOutputs)
    // getChildren's result belongs to the scope like any other symbol.
    var children: Option[Symbol] = None
    ResourceScope.using() { children = kept.getChildren() }
    assertTrue(children.get.isDisposed)
    kept.dispose()
  }
}
