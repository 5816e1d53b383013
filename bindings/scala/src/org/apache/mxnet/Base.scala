/*
 * The native side of the Scala binding: MXNetError, the table of JNI calls into Loom's C ABI
 * (LibInfo, implemented in native/loom_jni.cc) and the loading of the JNI library.
 *
 * The JNI functions raise MXNetError themselves whenever the C ABI returns -1, so Scala code
 * calls them like ordinary methods and never checks return codes.
 */
package org.apache.mxnet

/** An error reported by the Loom engine; `err` is the engine's message (MXGetLastError). */
class MXNetError(val err: String) extends Exception(err)

// Method names follow the C functions they wrap; handles travel as Long (0 = NULL).
private[mxnet] class LibInfo {
  @native def mxGetVersion(): Int
  @native def mxGetGPUCount(): Int
  @native def mxRandomSeed(seed: Int): Unit
  @native def mxListAllOpNames(): Array[String]
  @native def mxSymbolListAtomicSymbolCreators(): Array[Long]
  @native def nnGetOpHandle(name: String): Long
  // {name, description, keyVarNumArgs, returnType, argNames, argTypes, argDescriptions}
  @native def mxSymbolGetAtomicSymbolInfo(creator: Long): Array[AnyRef]

  @native def symCreateVariable(name: String): Long
  @native def symCreateAtomicSymbol(creator: Long, keys: Array[String],
                                    vals: Array[String]): Long
  @native def symCreateGroup(symbols: Array[Long]): Long
  @native def symCreateFromJSON(json: String): Long
  @native def symCreateFromFile(fname: String): Long
  @native def symSaveToJSON(sym: Long): String
  @native def symSaveToFile(sym: Long, fname: String): Unit
  @native def symFree(sym: Long): Unit
  @native def symCopy(sym: Long): Long
  @native def symPrint(sym: Long): String
  @native def symGetName(sym: Long): String
  @native def symGetAttr(sym: Long, key: String): String
  @native def symSetAttr(sym: Long, key: String, value: String): Unit
  @native def symListAttr(sym: Long, recursive: Boolean): Array[String]
  @native def symListArguments(sym: Long): Array[String]
  @native def symListOutputs(sym: Long): Array[String]
  @native def symListAuxiliaryStates(sym: Long): Array[String]
  @native def symGetNumOutputs(sym: Long): Int
  @native def symGetOutput(sym: Long, index: Int): Long
  @native def symGetInternals(sym: Long): Long
  @native def symGetChildren(sym: Long): Long
  @native def symCompose(sym: Long, name: String, keys: Array[String], args: Array[Long]): Unit
  // {int[][] args, int[][] outputs, int[][] aux, java.lang.Boolean complete}
  @native def symInferShape(sym: Long, keys: Array[String], shapes: Array[Array[Int]],
                            partial: Boolean): Array[AnyRef]
  // {int[] args, int[] outputs, int[] aux, java.lang.Boolean complete}; -1 = unknown
  @native def symInferType(sym: Long, keys: Array[String], types: Array[Int],
                           partial: Boolean): Array[AnyRef]
  // option: 0 all variables, 1 arguments, 2 auxiliary states
  @native def symListInputNames(sym: Long, option: Int): Array[String]
  @native def symGrad(sym: Long, wrt: Array[String]): Long

  @native def ndCreateNone(): Long
  @native def ndCreate(shape: Array[Int], devType: Int, devId: Int, delayAlloc: Boolean,
                       dtype: Int): Long
  @native def ndSyncCopyFromFloats(nd: Long, data: Array[Float]): Unit
  @native def ndSyncCopyToFloats(nd: Long, data: Array[Float]): Unit
  @native def ndSyncCopyFromBytes(nd: Long, data: Array[Byte]): Unit
  @native def ndSyncCopyToBytes(nd: Long, data: Array[Byte]): Unit
  @native def ndGetShape(nd: Long): Array[Int]
  @native def ndGetDType(nd: Long): Int
  @native def ndGetContext(nd: Long): Array[Int]
  @native def ndWaitToRead(nd: Long): Unit
  @native def ndWaitAll(): Unit
  @native def ndFree(nd: Long): Unit

  @native def exBind(sym: Long, devType: Int, devId: Int, g2cKeys: Array[String],
                     g2cDevTypes: Array[Int], g2cDevIds: Array[Int], inArgs: Array[Long],
                     argGrads: Array[Long], gradReqs: Array[Int], auxStates: Array[Long],
                     sharedExec: Long): Long
  // {exec, n, inArgs(n), argGrads(n), m, aux(m)}
  @native def exSimpleBind(sym: Long, devType: Int, devId: Int, g2cKeys: Array[String],
                           g2cDevTypes: Array[Int], g2cDevIds: Array[Int], reqLen: Int,
                           reqNames: Array[String], reqTypes: Array[String],
                           shapeNames: Array[String], shapeData: Array[Int],
                           shapeIdx: Array[Int], dtypeNames: Array[String],
                           dtypes: Array[Int], sharedExec: Long): Array[Long]
  @native def exForward(exec: Long, isTrain: Boolean): Unit
  @native def exBackward(exec: Long, headGrads: Array[Long], isTrain: Boolean): Unit
  @native def exOutputs(exec: Long): Array[Long]
  @native def exPrint(exec: Long): String
  @native def exFree(exec: Long): Unit
}

private[mxnet] object Base {
  /**
   * The JNI library: the file named by the system property `loom.jni.library` when set,
   * otherwise `libloom_jni.so` from java.library.path.
   */
  lazy val _LIB: LibInfo = {
    Option(System.getProperty("loom.jni.library")) match {
      case Some(path) => System.load(path)
      case None => System.loadLibrary("loom_jni")
    }
    new LibInfo
  }

  /** Keeps `refs` strongly reachable up to this point, so no cleaner frees a handle mid-call. */
  def keepAlive(refs: AnyRef*): Unit = refs.foreach(r => java.lang.ref.Reference.reachabilityFence(r))
}

/** Library-wide calls that MXNet's Scala package spread over several objects. */
object Loom {
  /** MXNet API version Loom implements (10901). */
  def version: Int = Base._LIB.mxGetVersion()
  /** Number of usable GPUs (0 without CUDA support or without a GPU). */
  def gpuCount: Int = Base._LIB.mxGetGPUCount()
  /** Names of every registered operator, aliases included. */
  def listAllOpNames(): IndexedSeq[String] = Base._LIB.mxListAllOpNames().toIndexedSeq
  /** Waits for all pending work on every device. */
  def waitAll(): Unit = Base._LIB.ndWaitAll()
}

/** MXNet's seeding entry point. */
object Random {
  def seed(seedState: Int): Unit = Base._LIB.mxRandomSeed(seedState)
}
