/*
 * Element types, with MXNet's type flags as ids (the numbers the C ABI uses).
 */
package org.apache.mxnet

object DType extends Enumeration {
  type DType = Value
  val Float32 = Value(0, "float32")
  val Float64 = Value(1, "float64")
  val Float16 = Value(2, "float16")
  val UInt8 = Value(3, "uint8")
  val Int32 = Value(4, "int32")
  val Int8 = Value(5, "int8")
  val Int64 = Value(6, "int64")
  val Bool = Value(7, "bool")
  val BFloat16 = Value(12, "bfloat16")
  val Unknown = Value(-1, "unknown")

  /** Bytes per element. */
  def numOfBytes(dtype: DType): Int = dtype match {
    case Float32 | Int32 => 4
    case Float64 | Int64 => 8
    case Float16 | BFloat16 => 2
    case UInt8 | Int8 | Bool => 1
    case _ => throw new IllegalArgumentException(s"$dtype has no element size")
  }

  private[mxnet] def fromFlag(flag: Int): DType =
    values.find(_.id == flag).getOrElse(throw new MXNetError(s"unknown dtype flag $flag"))
}
