/*
 * Executor: a symbol bound to arrays, ready to run forward and backward (MXNet's Executor).
 *
 * Output arrays alias the executor's memory: each forward overwrites them. The executor owns
 * its outputs, and, when it came from simpleBind, the arrays simpleBind allocated; dispose()
 * releases those with it. Arrays passed to bind stay the caller's.
 */
package org.apache.mxnet

import org.apache.mxnet.Base._LIB

object Executor {
  private val free: Long => Unit = h => _LIB.exFree(h)

  private def dict(kind: String, names: IndexedSeq[String], arrays: Seq[NDArray]): Map[String, NDArray] = {
    val dup = names.diff(names.distinct)
    require(dup.isEmpty, s"$kind: duplicate names ${dup.distinct.mkString(", ")}")
    names.zip(arrays).filter(_._2 != null).toMap
  }
}

class Executor private[mxnet] (handle: Long, val ctx: Context,
                               argNames: IndexedSeq[String],
                               val argArrays: Array[NDArray],
                               val gradArrays: Array[NDArray],
                               gradReqs: IndexedSeq[String],
                               auxNames: IndexedSeq[String],
                               val auxArrays: Array[NDArray],
                               outputNames: IndexedSeq[String],
                               ownsArrays: Boolean)
    extends NativeHandle(handle, "Executor", Executor.free) {

  /** The outputs, in listOutputs order; overwritten by every forward. */
  val outputs: Array[NDArray] =
    try withHandle(h => _LIB.exOutputs(h)).map(o => new NDArray(o, scoped = false))
    catch { case e: Throwable => dispose(); throw e }

  lazy val argDict: Map[String, NDArray] = Executor.dict("argDict", argNames, argArrays)
  /** Gradient arrays by argument name; arguments without a gradient are absent. */
  lazy val gradDict: Map[String, NDArray] = Executor.dict("gradDict", argNames, gradArrays)
  lazy val auxDict: Map[String, NDArray] = Executor.dict("auxDict", auxNames, auxArrays)
  lazy val outputDict: Map[String, NDArray] = Executor.dict("outputDict", outputNames, outputs)

  /** The gradient request of each argument ("write", "add" or "null"). */
  def gradReq: IndexedSeq[String] = gradReqs

  def forward(): Unit = forward(isTrain = false)

  /**
   * Runs the forward pass, first copying each (name, array) of `kwargs` into the argument of
   * that name (shapes must match).
   */
  def forward(isTrain: Boolean, kwargs: (String, NDArray)*): Unit = {
    kwargs.foreach { case (name, value) =>
      val target = argDict.getOrElse(name,
        throw new IllegalArgumentException(s"forward: '$name' is not an argument of this executor"))
      require(value != null, s"forward: array for '$name' is null")
      require(value.shape == target.shape,
        s"forward: '$name' has shape ${target.shape} but the given array has ${value.shape}")
      value.copyTo(target)
    }
    withHandle(h => _LIB.exForward(h, isTrain))
  }

  /** Backward for graphs ending in a loss: no head gradients. */
  def backward(): Unit = backward(Array.empty[NDArray])

  def backward(outGrad: NDArray): Unit = backward(Array(outGrad))

  /** Backward with one head gradient per output. */
  def backward(outGrads: Array[NDArray]): Unit = backward(outGrads, isTrain = true)

  def backward(outGrads: Array[NDArray], isTrain: Boolean): Unit = {
    val grads = if (outGrads == null) Array.empty[NDArray] else outGrads
    withHandle { h =>
      _LIB.exBackward(h, grads.map(g => if (g == null) 0L else g.nativeAddress), isTrain)
    }
    Base.keepAlive(grads)
  }

  /** Copies parameter values into the executor's arguments and auxiliary states by name. */
  def copyParamsFrom(argParams: Map[String, NDArray], auxParams: Map[String, NDArray] = null,
                     allowExtraParams: Boolean = false): Unit = {
    def copyAll(params: Map[String, NDArray], into: Map[String, NDArray], kind: String): Unit =
      if (params != null) params.foreach { case (name, value) =>
        into.get(name) match {
          case Some(target) => value.copyTo(target)
          case None => require(allowExtraParams, s"copyParamsFrom: '$name' is not an $kind of this executor")
        }
      }
    copyAll(argParams, argDict, "argument")
    copyAll(auxParams, auxDict, "auxiliary state")
  }

  /** Description of the bound graph and its memory. */
  def debugStr: String = withHandle(h => _LIB.exPrint(h))

  override protected def disposeOwned(): Unit = {
    if (outputs != null) outputs.foreach(_.dispose())
    if (ownsArrays) (argArrays ++ gradArrays ++ auxArrays).filter(_ != null).foreach(_.dispose())
  }
}
