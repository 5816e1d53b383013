/*
 * Automatic names for operator symbols (MXNet's NameManager): an operator created without a
 * name gets "<hint><n>", where the hint is the lower-cased operator name and n counts per hint
 * from 0 (fullyconnected0, fullyconnected1, activation0, _plus0...). withScope installs a fresh
 * manager so counting restarts, and restores the previous one, counters intact, afterwards.
 */
package org.apache.mxnet

import scala.collection.mutable

class NameManager {
  private val counter = mutable.HashMap.empty[String, Int]

  /** `name` when given, otherwise the next automatic name for `hint`. */
  def get(name: Option[String], hint: String): String = name match {
    case Some(n) if n != null && n.nonEmpty => n
    case _ =>
      val i = counter.getOrElse(hint, 0)
      counter(hint) = i + 1
      s"$hint$i"
  }

  def withScope[T](body: => T): T = {
    val previous = NameManager.current
    NameManager.setCurrent(this)
    try body finally NameManager.setCurrent(previous)
  }
}

/** A NameManager that puts `prefix` in front of every operator name, given or automatic. */
class Prefix(prefix: String) extends NameManager {
  override def get(name: Option[String], hint: String): String = prefix + super.get(name, hint)
}

object NameManager {
  // Per thread, as in MXNet: graphs built on different threads don't share counters.
  private val holder = new ThreadLocal[NameManager] {
    override def initialValue(): NameManager = new NameManager
  }

  def current: NameManager = holder.get()

  private def setCurrent(manager: NameManager): Unit = holder.set(manager)
}
