/*
 * Helpers shared by the Scala suites: approximate array comparison and the golden fixtures'
 * location (system property loom.golden.dir or environment variable LOOM_GOLDEN_DIR, set by
 * the meson test).
 */
package org.apache.mxnet

import org.junit.Assert.{assertEquals, fail}

object TestUtil {
  def assertClose(expected: Array[Float], actual: Array[Float], tol: Double = 1e-5): Unit =
    assertCloseD(expected.map(_.toDouble), actual.map(_.toDouble), tol)

  def assertCloseD(expected: Array[Double], actual: Array[Double], tol: Double): Unit = {
    assertEquals("element count", expected.length, actual.length)
    for (i <- expected.indices) {
      if (math.abs(expected(i) - actual(i)) > tol * math.max(1.0, math.abs(expected(i)))) {
        fail(s"element $i: expected ${expected(i)}, got ${actual(i)}\n" +
          s"  expected ${expected.mkString(", ")}\n  actual   ${actual.mkString(", ")}")
      }
    }
  }

  def goldenDir: java.io.File = {
    val dir = Option(System.getProperty("loom.golden.dir")).orElse(Option(System.getenv("LOOM_GOLDEN_DIR")))
      .getOrElse(throw new IllegalStateException("set -Dloom.golden.dir or LOOM_GOLDEN_DIR to tests/golden"))
    new java.io.File(dir)
  }

  /** Expects `body` to throw T and returns it. */
  def intercept[T <: Throwable](body: => Any)(implicit m: scala.reflect.ClassTag[T]): T = {
    try body catch {
      case e: Throwable if m.runtimeClass.isInstance(e) => return e.asInstanceOf[T]
      case e: Throwable => fail(s"expected ${m.runtimeClass.getName}, got $e"); throw e
    }
    fail(s"expected ${m.runtimeClass.getName}, nothing was thrown")
    throw new AssertionError()
  }
}
