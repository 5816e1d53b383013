/*
 * Release of native handles: dispose (idempotent, and a disposed object refuses further use
 * with an exception), ResourceScope, and the garbage-collection cleaner of last resort.
 */
package org.apache.mxnet

import org.junit.Assert._
import org.junit.Test

import org.apache.mxnet.TestUtil._

class ResourceTest {
  @Test def disposeIsIdempotentAndFinal(): Unit = {
    val a = NDArray.ones(2, 2)
    assertFalse(a.isDisposed)
    a.dispose()
    assertTrue(a.isDisposed)
    a.dispose()
    a.close()
    val e = intercept[IllegalStateException](a.toArray)
    assertTrue(e.getMessage.contains("disposed"))
    intercept[IllegalStateException](a.shape)
    intercept[IllegalStateException](a.nativeAddress)
    assertEquals("NDArray(disposed)", a.toString)

    val s = Symbol.Variable("x")
    s.dispose()
    s.dispose()
    intercept[IllegalStateException](s.listArguments())
    intercept[IllegalStateException](s + 1) // as an input of a new symbol, too
    val live = Symbol.Variable("y")
    intercept[IllegalStateException](live + s)
  }

  @Test def disposedArraysCannotBeBound(): Unit = {
    val data = Symbol.Variable("data")
    val net = data * 2
    val arr = NDArray.ones(3)
    arr.dispose()
    intercept[IllegalStateException](net.bind(Context.cpu(), Seq(arr)))
  }

  @Test def disposedExecutor(): Unit = {
    val data = Symbol.Variable("data")
    val arr = NDArray.ones(3)
    val exec = (data * 2).bind(Context.cpu(), Seq(arr))
    exec.forward()
    val out = exec.outputs(0)
    exec.dispose()
    exec.dispose()
    assertTrue(out.isDisposed)
    intercept[IllegalStateException](exec.forward())
    intercept[IllegalStateException](exec.backward())
    assertFalse(arr.isDisposed) // the caller's arrays stay the caller's
    assertArrayEquals(Array(1f, 1f, 1f), arr.toArray, 0f)
    arr.dispose()
  }

  @Test def scopeDisposesWhatWasCreatedInside(): Unit = {
    var inside: Seq[NativeResource] = Nil
    val kept = ResourceScope.using() {
      val a = NDArray.ones(2)
      val s = Symbol.Variable("v")
      val exec = (s + 1).bind(Context.cpu(), Seq(a))
      exec.forward()
      inside = Seq(a, s, exec, exec.outputs(0))
      NDArray.zeros(3)
    }
    assertTrue(inside.forall(_.isDisposed))
    assertFalse(kept.isDisposed) // the result leaves the scope alive
    assertArrayEquals(Array(0f, 0f, 0f), kept.toArray, 0f)
    kept.dispose()
  }

  @Test def scopeKeepsResultsInCollectionsAndTuples(): Unit = {
    val (a, bs) = ResourceScope.using() {
      (NDArray.ones(1), Seq(NDArray.ones(2), NDArray.ones(3)))
    }
    assertFalse(a.isDisposed)
    assertTrue(bs.forall(!_.isDisposed))
    (a +: bs).foreach(_.dispose())
  }

  @Test def nestedScopesHandResultsOutward(): Unit = {
    var fromInner: NDArray = null
    ResourceScope.using() {
      fromInner = ResourceScope.using() {
        NDArray.ones(2)
      }
      assertFalse(fromInner.isDisposed)
    }
    assertTrue(fromInner.isDisposed) // the outer scope took it over and closed
  }

  @Test def scopeClosesOnExceptions(): Unit = {
    var a: NDArray = null
    intercept[RuntimeException] {
      ResourceScope.using() {
        a = NDArray.ones(2)
        throw new RuntimeException("boom")
      }
    }
    assertTrue(a.isDisposed)
  }

  @Test def scopeKeepsAnExecutorsArrays(): Unit = {
    val exec = ResourceScope.using() {
      val x = Symbol.Variable("x")
      (x * 3).bind(Context.cpu(), Seq(NDArray.ones(2)))
    }
    exec.forward()
    assertArrayEquals(Array(3f, 3f), exec.outputs(0).toArray, 0f)
    exec.argArrays.foreach(_.dispose())
    exec.dispose()
  }

  @Test def explicitScopeObject(): Unit = {
    val scope = new ResourceScope()
    val a = try NDArray.ones(2) finally scope.close()
    assertTrue(a.isDisposed)
  }

  @Test def disposingInsideAScopeIsFine(): Unit = {
    ResourceScope.using() {
      val a = NDArray.ones(2)
      a.dispose()
    }
  }

  private def makeGarbage(): Unit = {
    for (_ <- 0 until 20) NDArray.ones(16)
    Symbol.Variable("garbage")
  }

  @Test def cleanerReleasesForgottenObjects(): Unit = {
    val before = NativeResource.releasedByCleaner.get()
    makeGarbage()
    val deadline = System.currentTimeMillis() + 20000
    while (NativeResource.releasedByCleaner.get() < before + 21 && System.currentTimeMillis() < deadline) {
      System.gc()
      Thread.sleep(20)
    }
    assertTrue(s"cleaner released ${NativeResource.releasedByCleaner.get() - before} of 21",
      NativeResource.releasedByCleaner.get() >= before + 21)
  }
}
