/*
 * NDArray: an n-dimensional array living on a device, owned through a native handle.
 *
 * Loom's C ABI offers creation, host copies and metadata; everything else an MXNet user did
 * with NDArray arithmetic happens in symbols and executors. Values cross the boundary as
 * Float (or Double) arrays; other element types are converted on the host.
 */
package org.apache.mxnet

import java.nio.{ByteBuffer, ByteOrder}

import org.apache.mxnet.Base._LIB
import org.apache.mxnet.DType.DType

object NDArray {
  private val free: Long => Unit = h => _LIB.ndFree(h)

  private def ctxOrDefault(ctx: Context): Context = if (ctx == null) Context.defaultCtx else ctx

  /** An array with unspecified contents. */
  def empty(shape: Shape, ctx: Context = null, dtype: DType = DType.Float32): NDArray = {
    val c = ctxOrDefault(ctx)
    new NDArray(_LIB.ndCreate(shape.toArray, c.deviceTypeid, c.deviceId, false, dtype.id))
  }

  def empty(shape: Int*): NDArray = empty(Shape(shape: _*))

  def zeros(shape: Shape, ctx: Context = null, dtype: DType = DType.Float32): NDArray =
    full(shape, 0f, ctx, dtype)

  def zeros(shape: Int*): NDArray = zeros(Shape(shape: _*))

  def ones(shape: Shape, ctx: Context = null, dtype: DType = DType.Float32): NDArray =
    full(shape, 1f, ctx, dtype)

  def ones(shape: Int*): NDArray = ones(Shape(shape: _*))

  def full(shape: Shape, value: Float, ctx: Context = null, dtype: DType = DType.Float32): NDArray =
    disposeOnFailure(empty(shape, ctx, dtype))(_.set(value))

  /** A float32 array holding `sourceArr` (row-major) in the given shape. */
  def array(sourceArr: Array[Float], shape: Shape, ctx: Context = null): NDArray =
    disposeOnFailure(empty(shape, ctx, DType.Float32))(_.set(sourceArr))

  /** A float64 array holding `sourceArr` (row-major) in the given shape. */
  def array(sourceArr: Array[Double], shape: Shape, ctx: Context): NDArray =
    disposeOnFailure(empty(shape, ctx, DType.Float64))(_.setDoubles(sourceArr))

  def waitall(): Unit = _LIB.ndWaitAll()

  // A half-made array is released at once rather than left to the cleaner.
  private def disposeOnFailure(a: NDArray)(init: NDArray => Unit): NDArray = {
    try init(a) catch { case e: Throwable => a.dispose(); throw e }
    a
  }
}

class NDArray private[mxnet] (handle: Long, scoped: Boolean = true)
    extends NativeHandle(handle, "NDArray", NDArray.free, scoped) {

  def shape: Shape = withHandle(h => Shape(_LIB.ndGetShape(h).toVector))

  /** Bytes of device memory holding the elements (0 once disposed). */
  override def bytesAllocated: Long =
    if (isDisposed) 0L else shape.toVector.map(_.toLong).product * DType.numOfBytes(dtype)

  /** Number of elements. */
  def size: Int = shape.product

  def dtype: DType = withHandle(h => DType.fromFlag(_LIB.ndGetDType(h)))

  def context: Context = withHandle { h =>
    val c = _LIB.ndGetContext(h)
    Context.fromIds(c(0), c(1))
  }

  def waitToRead(): Unit = withHandle(h => _LIB.ndWaitToRead(h))

  /** The elements, row-major, converted to Float. */
  def toArray: Array[Float] = dtype match {
    case DType.Float32 =>
      val out = new Array[Float](size)
      withHandle(h => _LIB.ndSyncCopyToFloats(h, out))
      out
    case t => HostCodec.decode(t, rawBytes, size).map(_.toFloat)
  }

  /** The elements, row-major, converted to Double (exact for float64 arrays). */
  def toFloat64Array: Array[Double] = dtype match {
    case DType.Float32 => toArray.map(_.toDouble)
    case t => HostCodec.decode(t, rawBytes, size)
  }

  /** The only element of a one-element array. */
  def toScalar: Float = {
    val a = toArray
    require(a.length == 1, s"toScalar needs an array of one element, this one has shape $shape")
    a(0)
  }

  /** Sets every element to `value`. */
  def set(value: Float): NDArray = set(Array.fill(size)(value))

  /** Copies `other` (row-major, exactly `size` elements) into this array. */
  def set(other: Array[Float]): NDArray = {
    require(other != null, "source array is null")
    require(other.length == size,
      s"source has ${other.length} elements but the array of shape $shape holds $size")
    dtype match {
      case DType.Float32 => withHandle(h => _LIB.ndSyncCopyFromFloats(h, other))
      case t => setRawBytes(HostCodec.encode(t, other.map(_.toDouble)))
    }
    this
  }

  def set(other: NDArray): NDArray = other.copyTo(this)

  private[mxnet] def setDoubles(values: Array[Double]): NDArray = {
    require(values.length == size,
      s"source has ${values.length} elements but the array of shape $shape holds $size")
    setRawBytes(HostCodec.encode(dtype, values))
    this
  }

  /**
   * Copies this array's values into `other` (same shape; the dtype is converted) and returns
   * `other`. The copy goes through host memory.
   */
  def copyTo(other: NDArray): NDArray = {
    require(other != null, "target array is null")
    if (other eq this) return this
    require(other.shape == shape, s"copyTo: shape mismatch, $shape into ${other.shape}")
    val (myType, theirType) = (dtype, other.dtype)
    if (myType == theirType) other.setRawBytes(rawBytes)
    else other.setRawBytes(HostCodec.encode(theirType, toFloat64Array))
    other
  }

  /** A new array on `ctx` with this array's values and dtype. */
  def copyTo(ctx: Context): NDArray = {
    val out = NDArray.empty(shape, ctx, dtype)
    try copyTo(out) catch { case e: Throwable => out.dispose(); throw e }
  }

  def copy(): NDArray = copyTo(context)

  def asInContext(ctx: Context): NDArray = if (context == ctx) this else copyTo(ctx)

  /** A copy converted to `dt` (on the same device). */
  def asType(dt: DType): NDArray = {
    val out = NDArray.empty(shape, context, dt)
    try copyTo(out) catch { case e: Throwable => out.dispose(); throw e }
  }

  private[mxnet] def rawBytes: Array[Byte] = {
    val out = new Array[Byte](size * DType.numOfBytes(dtype))
    withHandle(h => _LIB.ndSyncCopyToBytes(h, out))
    out
  }

  private[mxnet] def setRawBytes(bytes: Array[Byte]): Unit =
    withHandle(h => _LIB.ndSyncCopyFromBytes(h, bytes))

  override def toString: String =
    if (isDisposed) "NDArray(disposed)" else s"NDArray$shape $dtype @$context"
}

// Host-side conversion between Double values and the little-endian bytes of each dtype.
private[mxnet] object HostCodec {
  def decode(dtype: DType, bytes: Array[Byte], n: Int): Array[Double] = {
    val b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
    Array.tabulate(n) { _ =>
      dtype match {
        case DType.Float32 => b.getFloat().toDouble
        case DType.Float64 => b.getDouble()
        case DType.Float16 => halfToFloat(b.getShort() & 0xffff).toDouble
        case DType.BFloat16 => java.lang.Float.intBitsToFloat((b.getShort() & 0xffff) << 16).toDouble
        case DType.UInt8 => (b.get() & 0xff).toDouble
        case DType.Int8 => b.get().toDouble
        case DType.Bool => if (b.get() != 0) 1.0 else 0.0
        case DType.Int32 => b.getInt().toDouble
        case DType.Int64 => b.getLong().toDouble
        case other => throw new IllegalArgumentException(s"cannot read $other elements")
      }
    }
  }

  def encode(dtype: DType, values: Array[Double]): Array[Byte] = {
    val b = ByteBuffer.allocate(values.length * DType.numOfBytes(dtype)).order(ByteOrder.LITTLE_ENDIAN)
    values.foreach { v =>
      dtype match {
        case DType.Float32 => b.putFloat(v.toFloat)
        case DType.Float64 => b.putDouble(v)
        case DType.Float16 => b.putShort(floatToHalf(v.toFloat).toShort)
        case DType.BFloat16 => b.putShort(floatToBFloat16(v.toFloat).toShort)
        case DType.UInt8 => b.put(v.toInt.toByte)
        case DType.Int8 => b.put(v.toInt.toByte)
        case DType.Bool => b.put((if (v != 0) 1 else 0).toByte)
        case DType.Int32 => b.putInt(v.toInt)
        case DType.Int64 => b.putLong(v.toLong)
        case other => throw new IllegalArgumentException(s"cannot write $other elements")
      }
    }
    b.array()
  }

  def halfToFloat(h: Int): Float = {
    val sign = (h >>> 15) & 1
    val exp = (h >>> 10) & 0x1f
    val mant = h & 0x3ff
    val bits =
      if (exp == 0 && mant == 0) sign << 31
      else if (exp == 0) {
        // subnormal: normalise the mantissa into float's wider exponent range
        var e = -14
        var m = mant
        while ((m & 0x400) == 0) { m <<= 1; e -= 1 }
        (sign << 31) | ((e + 127) << 23) | ((m & 0x3ff) << 13)
      } else if (exp == 31) (sign << 31) | 0x7f800000 | (mant << 13)
      else (sign << 31) | ((exp - 15 + 127) << 23) | (mant << 13)
    java.lang.Float.intBitsToFloat(bits)
  }

  // Round to nearest, ties to even, as hardware conversions do.
  def floatToHalf(f: Float): Int = {
    val x = java.lang.Float.floatToRawIntBits(f)
    val sign = (x >>> 16) & 0x8000
    val exp = (x >>> 23) & 0xff
    val mant = x & 0x7fffff
    if (exp == 0xff) return sign | 0x7c00 | (if (mant != 0) 0x200 else 0)
    val e = exp - 127 + 15
    if (e >= 31) sign | 0x7c00
    else if (e <= 0) {
      if (e < -10) sign
      else {
        val m = mant | 0x800000
        val shift = 14 - e
        val h = m >> shift
        val rem = m & ((1 << shift) - 1)
        val half = 1 << (shift - 1)
        sign | (if (rem > half || (rem == half && (h & 1) == 1)) h + 1 else h)
      }
    } else {
      val h = (e << 10) | (mant >> 13)
      val rem = mant & 0x1fff
      sign | (if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) h + 1 else h)
    }
  }

  def floatToBFloat16(f: Float): Int = {
    val x = java.lang.Float.floatToRawIntBits(f)
    if (f.isNaN) (x >>> 16) | 0x40
    else (x + 0x7fff + ((x >>> 16) & 1)) >>> 16
  }
}
