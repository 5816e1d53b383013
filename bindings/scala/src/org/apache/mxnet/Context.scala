/*
 * Device contexts: where arrays live and executors run (MXNet's Context: cpu(0), gpu(1)...).
 */
package org.apache.mxnet

import scala.language.implicitConversions

object Context {
  /** MXNet device type ids, as used by the C ABI. */
  val devtype2str: Map[Int, String] = Map(1 -> "cpu", 2 -> "gpu", 3 -> "cpu_pinned")
  val devstr2type: Map[String, Int] = devtype2str.map(_.swap)

  def cpu(deviceId: Int = 0): Context = new Context("cpu", deviceId)
  def gpu(deviceId: Int = 0): Context = new Context("gpu", deviceId)
  def cpuPinned(deviceId: Int = 0): Context = new Context("cpu_pinned", deviceId)

  /** The context used when none is given. */
  val defaultCtx: Context = cpu()

  implicit def ctx2Array(ctx: Context): Array[Context] = Array(ctx)

  private[mxnet] def fromIds(devType: Int, devId: Int): Context =
    new Context(devtype2str.getOrElse(devType, s"device$devType"), devId)
}

class Context(deviceTypeName: String, val deviceId: Int = 0) extends Serializable {
  require(Context.devstr2type.contains(deviceTypeName),
    s"unknown device type '$deviceTypeName' (expected one of ${Context.devstr2type.keys.mkString(", ")})")
  require(deviceId >= 0, s"device id must not be negative, got $deviceId")

  val deviceTypeid: Int = Context.devstr2type(deviceTypeName)

  def this(context: Context) = this(context.deviceType, context.deviceId)

  def deviceType: String = Context.devtype2str(deviceTypeid)

  override def equals(other: Any): Boolean = other match {
    case c: Context => c.deviceTypeid == deviceTypeid && c.deviceId == deviceId
    case _ => false
  }

  override def hashCode(): Int = 31 * deviceTypeid + deviceId

  override def toString: String = s"$deviceType($deviceId)"
}
