/*
 * Symbol: a network declared as a graph of operators (MXNet's Symbol API for Scala).
 *
 * Operators are not written out here: `Symbol.<Op>(name, attr)(inputs*)(kwargs)` and
 * `Symbol.api.<Op>(...)` are resolved at run time against the engine's operator registry
 * (see Operators.scala). Arithmetic maps to MXNet's operators and automatic names
 * (a + b is elemwise_add named _plus0, a * 2 is _mul_scalar named _mulscalar0).
 */
package org.apache.mxnet

import scala.language.dynamics
import scala.language.implicitConversions

import org.apache.mxnet.Base._LIB
import org.apache.mxnet.DType.DType

class Symbol private[mxnet] (handle: Long)
    extends NativeHandle(handle, "Symbol", Symbol.free) {

  def +(other: Symbol): Symbol = Symbol.binary("elemwise_add", "_plus", this, other)
  def -(other: Symbol): Symbol = Symbol.binary("elemwise_sub", "_minus", this, other)
  def *(other: Symbol): Symbol = Symbol.binary("elemwise_mul", "_mul", this, other)
  def /(other: Symbol): Symbol = Symbol.binary("elemwise_div", "_div", this, other)

  def +(other: Int): Symbol = Symbol.scalar("_plus_scalar", this, other.toString)
  def +(other: Long): Symbol = Symbol.scalar("_plus_scalar", this, other.toString)
  def +(other: Float): Symbol = Symbol.scalar("_plus_scalar", this, other.toString)
  def +(other: Double): Symbol = Symbol.scalar("_plus_scalar", this, other.toString)
  def -(other: Int): Symbol = Symbol.scalar("_minus_scalar", this, other.toString)
  def -(other: Long): Symbol = Symbol.scalar("_minus_scalar", this, other.toString)
  def -(other: Float): Symbol = Symbol.scalar("_minus_scalar", this, other.toString)
  def -(other: Double): Symbol = Symbol.scalar("_minus_scalar", this, other.toString)
  def *(other: Int): Symbol = Symbol.scalar("_mul_scalar", this, other.toString)
  def *(other: Long): Symbol = Symbol.scalar("_mul_scalar", this, other.toString)
  def *(other: Float): Symbol = Symbol.scalar("_mul_scalar", this, other.toString)
  def *(other: Double): Symbol = Symbol.scalar("_mul_scalar", this, other.toString)
  def /(other: Int): Symbol = Symbol.scalar("_div_scalar", this, other.toString)
  def /(other: Long): Symbol = Symbol.scalar("_div_scalar", this, other.toString)
  def /(other: Float): Symbol = Symbol.scalar("_div_scalar", this, other.toString)
  def /(other: Double): Symbol = Symbol.scalar("_div_scalar", this, other.toString)
  def unary_- : Symbol = Symbol.scalar("_mul_scalar", this, "-1.0")

  /** Name of a single-output symbol; null for a group. */
  def name: String = withHandle(h => _LIB.symGetName(h))

  /** A deep copy of the graph. */
  override def clone(): Symbol = new Symbol(withHandle(h => _LIB.symCopy(h)))

  /** Output `index` as a symbol of its own. */
  def get(index: Int): Symbol = new Symbol(withHandle(h => _LIB.symGetOutput(h, index)))

  /** The output called `name` (as in listOutputs). */
  def get(name: String): Symbol = {
    val outs = listOutputs()
    val hits = outs.indices.filter(outs(_) == name)
    require(hits.nonEmpty, s"no output named '$name'; outputs are ${outs.mkString(", ")}")
    require(hits.size == 1, s"several outputs are named '$name'")
    get(hits.head)
  }

  /** Every variable and every visible operator output of the graph, grouped. */
  def getInternals(): Symbol = new Symbol(withHandle(h => _LIB.symGetInternals(h)))

  /** The inputs of the head node(s), grouped. */
  def getChildren(): Symbol = new Symbol(withHandle(h => _LIB.symGetChildren(h)))

  def listArguments(): IndexedSeq[String] = withHandle(h => _LIB.symListArguments(h).toIndexedSeq)

  def listOutputs(): IndexedSeq[String] = withHandle(h => _LIB.symListOutputs(h).toIndexedSeq)

  def listAuxiliaryStates(): IndexedSeq[String] =
    withHandle(h => _LIB.symListAuxiliaryStates(h).toIndexedSeq)

  /**
   * Infers every shape from the known ones (by argument name). Returns (argShapes, outShapes,
   * auxShapes) in listArguments / listOutputs / listAuxiliaryStates order, or three nulls when
   * the given shapes do not determine them all. Inconsistent shapes throw MXNetError.
   */
  def inferShape(kwargs: Map[String, Shape]): (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) = {
    val keys = kwargs.keys.toArray
    complete(runInferShape(keys, keys.map(k => shapeArray(kwargs(k)))))
  }

  /** inferShape with shapes given in listArguments order; null marks an unknown shape. */
  def inferShape(args: Shape*): (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) =
    complete(runInferShape(null, args.map(shapeArray).toArray))

  /** inferShape with shapes in CSR form, as MXNet's lowest-level Scala call took them. */
  def inferShape(keys: Array[String], indPtr: Array[Int], values: Array[Int])
      : (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) = {
    require(indPtr != null && indPtr.nonEmpty && values != null, "indPtr and values are required")
    val shapes = indPtr.sliding(2).filter(_.length == 2).map(p => values.slice(p(0), p(1))).toArray
    complete(runInferShape(keys, shapes))
  }

  /** As inferShape, but returns what could be inferred; unknown dimensions are 0. */
  def inferShapePartial(kwargs: Map[String, Shape])
      : (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) = {
    val keys = kwargs.keys.toArray
    val (a, o, x, _) = runInferShape(keys, keys.map(k => shapeArray(kwargs(k))))
    (a, o, x)
  }

  private def shapeArray(s: Shape): Array[Int] = if (s == null) Array.empty[Int] else s.toArray

  private def complete[T](r: (T, T, T, Boolean)): (T, T, T) =
    if (r._4) (r._1, r._2, r._3) else (null.asInstanceOf[T], null.asInstanceOf[T], null.asInstanceOf[T])

  // Missing information is not an error here; `complete` tells whether everything is known.
  private def runInferShape(keys: Array[String], shapes: Array[Array[Int]])
      : (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape], Boolean) = {
    val r = withHandle(h => _LIB.symInferShape(h, keys, shapes, true))
    def part(i: Int) = r(i).asInstanceOf[Array[Array[Int]]].map(s => Shape(s.toVector)).toIndexedSeq
    (part(0), part(1), part(2), r(3).asInstanceOf[java.lang.Boolean].booleanValue)
  }

  /** Infers dtypes from the known ones; three nulls when incomplete. */
  def inferType(kwargs: Map[String, DType]): (Seq[DType], Seq[DType], Seq[DType]) = {
    val keys = kwargs.keys.toArray
    runInferType(keys, keys.map(k => kwargs(k).id))
  }

  /** inferType with dtypes in listArguments order; null marks an unknown one. */
  def inferType(args: DType*): (Seq[DType], Seq[DType], Seq[DType]) =
    runInferType(null, args.map(t => if (t == null) -1 else t.id).toArray)

  private def runInferType(keys: Array[String], types: Array[Int]): (Seq[DType], Seq[DType], Seq[DType]) = {
    val r = withHandle(h => _LIB.symInferType(h, keys, types))
    def part(i: Int): Seq[DType] = r(i).asInstanceOf[Array[Int]].map(DType.fromFlag).toSeq
    if (r(3).asInstanceOf[java.lang.Boolean].booleanValue) (part(0), part(1), part(2))
    else (null, null, null)
  }

  /** Attribute `key` of this (single-node) symbol. */
  def attr(key: String): Option[String] = withHandle(h => Option(_LIB.symGetAttr(h, key)))

  /** Attributes of the head node. */
  def listAttr(): Map[String, String] = withHandle(h => pairs(_LIB.symListAttr(h, false)).toMap)

  /** Attributes of every node that has some, by node name. */
  def attrMap(): Map[String, Map[String, String]] = withHandle { h =>
    pairs(_LIB.symListAttr(h, true)).map { case (k, v) =>
      val cut = k.lastIndexOf('$')
      (k.substring(0, cut), k.substring(cut + 1), v)
    }.groupBy(_._1).map { case (node, kvs) => node -> kvs.map(t => t._2 -> t._3).toMap }
  }

  private def pairs(flat: Array[String]): Seq[(String, String)] =
    flat.grouped(2).map(p => p(0) -> p(1)).toSeq

  private[mxnet] def setAttr(key: String, value: String): Unit =
    withHandle(h => _LIB.symSetAttr(h, key, value))

  def setAttr(attrs: Map[String, String]): Unit = attrs.foreach { case (k, v) => setAttr(k, v) }

  /** The graph as MXNet JSON. */
  def toJson: String = withHandle(h => _LIB.symSaveToJSON(h))

  def save(fname: String): Unit = withHandle(h => _LIB.symSaveToFile(h, fname))

  /** Debug description of the graph. */
  def debugStr: String = withHandle(h => _LIB.symPrint(h))

  /** Applies this (composed) symbol to inputs that replace the variables so named. */
  def apply(name: String, symbols: Map[String, Symbol]): Symbol = {
    val s = clone()
    try { s.compose(name, symbols); s } catch { case e: Throwable => s.dispose(); throw e }
  }

  private[mxnet] def compose(name: String, symbols: Seq[Symbol]): Unit = withHandle { h =>
    _LIB.symCompose(h, name, null, symbols.map(_.nativeAddress).toArray)
    Base.keepAlive(symbols)
  }

  private[mxnet] def compose(name: String, symbols: Map[String, Symbol]): Unit = withHandle { h =>
    val keys = symbols.keys.toArray
    _LIB.symCompose(h, name, keys, keys.map(k => symbols(k).nativeAddress))
    Base.keepAlive(symbols)
  }

  /**
   * Binds the symbol to arrays. `args` (and `argsGrad`, `auxStates`) are a Seq in
   * listArguments order or a Map by name; a null `argsGrad` means no gradients at all, a
   * missing name in a Map means no gradient for that argument. `gradReq` is "write", "add" or
   * "null", per argument as a Seq, or by name as a Map (absent names: "null"). The arrays are
   * used by reference and must outlive the executor.
   */
  def bind(ctx: Context, args: BindArrays, argsGrad: BindArrays = null, gradReq: GradReq = "write",
           auxStates: BindArrays = null, group2ctx: Map[String, Context] = null,
           sharedExec: Executor = null): Executor = {
    require(ctx != null, "bind: ctx is null")
    require(args != null, "bind: args is null")
    val argNames = listArguments()
    val auxNames = listAuxiliaryStates()
    val argArrays = BindArrays.resolve(args, argNames, "args", allowMissing = false)
    val gradArrays =
      if (argsGrad == null) Array.fill[NDArray](argNames.size)(null)
      else BindArrays.resolve(argsGrad, argNames, "argsGrad", allowMissing = true)
    val auxArrays =
      if (auxStates == null && auxNames.isEmpty) Array.empty[NDArray]
      else {
        require(auxStates != null, s"bind: auxStates are required for ${auxNames.mkString(", ")}")
        BindArrays.resolve(auxStates, auxNames, "auxStates", allowMissing = false)
      }
    val reqs = GradReq.names(gradReq, argNames).zip(gradArrays).map { case (r, g) =>
      if (g == null) "null" else r
    }
    val (gKeys, gTypes, gIds) = Symbol.group2ctxArrays(group2ctx)
    val execHandle = withHandle { h =>
      _LIB.exBind(h, ctx.deviceTypeid, ctx.deviceId, gKeys, gTypes, gIds,
        argArrays.map(_.nativeAddress), gradArrays.map(g => if (g == null) 0L else g.nativeAddress),
        reqs.map(GradReq.code).toArray, auxArrays.map(_.nativeAddress),
        if (sharedExec == null) 0L else sharedExec.nativeAddress)
    }
    Base.keepAlive(argArrays, gradArrays, auxArrays, sharedExec)
    new Executor(execHandle, ctx, argNames, argArrays, gradArrays, reqs, auxNames, auxArrays,
      listOutputs(), ownsArrays = false)
  }

  /**
   * Infers every shape from `shapeDict` (and dtypes from `typeDict`, float32 by default),
   * allocates zero-filled arguments, gradients (where the request is not "null") and
   * auxiliary states, and binds. The executor owns those arrays and disposes them with itself.
   */
  def simpleBind(ctx: Context, gradReq: GradReq = "write", shapeDict: Map[String, Shape],
                 typeDict: Map[String, DType] = null): Executor = {
    require(ctx != null, "simpleBind: ctx is null")
    require(shapeDict != null, "simpleBind: shapeDict is null")
    val argNames = listArguments()
    val auxNames = listAuxiliaryStates()
    val (reqLen, reqKeys, reqValues) = gradReq match {
      case null => (0, null, Array("write"))
      case GradReq.ForAll(r) => (0, null, Array(r))
      case GradReq.PerArgument(rs) => (rs.size, null, rs.toArray)
      case GradReq.ByName(m) if m.isEmpty => (argNames.size, null, Array.fill(argNames.size)("null"))
      case GradReq.ByName(m) => val ks = m.keys.toArray; (ks.length, ks, ks.map(m))
    }
    val shapeNames = shapeDict.keys.toArray
    val shapeData = shapeNames.flatMap(n => shapeDict(n).toArray)
    val shapeIdx = shapeNames.scanLeft(0)((acc, n) => acc + shapeDict(n).size)
    val typeMap = if (typeDict == null) Map.empty[String, DType] else typeDict
    val typeNames = typeMap.keys.toArray
    val (gKeys, gTypes, gIds) = Symbol.group2ctxArrays(null)
    val r = withHandle { h =>
      _LIB.exSimpleBind(h, ctx.deviceTypeid, ctx.deviceId, gKeys, gTypes, gIds, reqLen, reqKeys,
        reqValues, shapeNames, shapeData, shapeIdx, typeNames, typeNames.map(n => typeMap(n).id), 0L)
    }
    val n = r(1).toInt
    def array(hd: Long): NDArray = if (hd == 0L) null else new NDArray(hd, scoped = false)
    val argArrays = (0 until n).map(i => array(r(2 + i))).toArray
    val gradArrays = (0 until n).map(i => array(r(2 + n + i))).toArray
    val m = r(2 + 2 * n).toInt
    val auxArrays = (0 until m).map(i => array(r(3 + 2 * n + i))).toArray
    val reqs = GradReq.names(gradReq, argNames).zip(gradArrays).map { case (q, g) =>
      if (g == null) "null" else q
    }
    new Executor(r(0), ctx, argNames, argArrays, gradArrays, reqs, auxNames, auxArrays,
      listOutputs(), ownsArrays = true)
  }

  override def toString: String =
    if (isDisposed) "<Symbol (disposed)>"
    else Option(name).map(n => s"<Symbol $n>").getOrElse(s"<Symbol group [${listOutputs().mkString(", ")}]>")
}

object Symbol extends Dynamic {
  private val free: Long => Unit = h => _LIB.symFree(h)

  /** A variable (an input or a parameter of the network). */
  def Variable(name: String, attr: Map[String, String] = null, shape: Shape = null,
               lrMult: Float = Float.NaN, wdMult: Float = Float.NaN, dType: DType = null,
               kwargs: Map[String, String] = null): Symbol = {
    require(name != null, "Variable: name is null")
    val sym = new Symbol(_LIB.symCreateVariable(name))
    try {
      val extra = Seq(
        Option(shape).map("__shape__" -> _.toString),
        if (lrMult.isNaN) None else Some("__lr_mult__" -> lrMult.toString),
        if (wdMult.isNaN) None else Some("__wd_mult__" -> wdMult.toString),
        Option(dType).map("__dtype__" -> _.id.toString)).flatten.toMap
      val user = Option(attr).getOrElse(Map.empty) ++ Option(kwargs).getOrElse(Map.empty) ++ extra
      sym.setAttr(AttrScope.current.get(Some(user)))
      sym
    } catch {
      case e: Throwable => sym.dispose(); throw e
    }
  }

  /** One symbol whose outputs are the outputs of `symbols`, in order. */
  def Group(symbols: Symbol*): Symbol = {
    val handles = symbols.map(_.nativeAddress).toArray
    val out = new Symbol(_LIB.symCreateGroup(handles))
    Base.keepAlive(symbols)
    out
  }

  def load(fname: String): Symbol = new Symbol(_LIB.symCreateFromFile(fname))

  def loadJson(json: String): Symbol = new Symbol(_LIB.symCreateFromJSON(json))

  /** `Symbol.<Op>(name, attr)`: the first step of MXNet's classic operator call. */
  def applyDynamic(opName: String)(args: Any*): SymbolFunction =
    applyDynamicNamed(opName)(args.map(a => "" -> a): _*)

  def applyDynamicNamed(opName: String)(args: (String, Any)*): SymbolFunction = {
    OperatorRegistry(opName) // fail early on unknown operators
    var name: String = null
    var attr: Map[String, String] = null
    args.zipWithIndex.foreach {
      case (("name", v), _) => name = v.asInstanceOf[String]
      case (("attr", v), _) => attr = castAttr(opName, v)
      case (("", v), 0) => name = v.asInstanceOf[String]
      case (("", v), 1) => attr = castAttr(opName, v)
      case ((k, _), _) =>
        throw new IllegalArgumentException(
          s"Symbol.$opName(name, attr) takes only a name and attributes, got '$k'; " +
            s"operator arguments go in the last parameter list: Symbol.$opName(...)(inputs)(Map(...))")
    }
    new SymbolFunction(opName, name, attr)
  }

  private def castAttr(opName: String, v: Any): Map[String, String] = v match {
    case null => null
    case m: Map[_, _] => m.map { case (k, x) => k.toString -> x.toString }
    case other => throw new IllegalArgumentException(s"Symbol.$opName: attr must be a Map, got $other")
  }

  /**
   * Operators called with every argument by name (or in the engine's argument order):
   * `Symbol.api.FullyConnected(data = Some(x), num_hidden = 10, name = "fc1")`. Option
   * values are unwrapped and None is skipped, as in MXNet's generated typed API.
   */
  object api extends Dynamic {
    def applyDynamic(opName: String)(args: Any*): Symbol =
      applyDynamicNamed(opName)(args.map(a => "" -> a): _*)

    def applyDynamicNamed(opName: String)(args: (String, Any)*): Symbol = {
      val op = OperatorRegistry(opName)
      var name: String = null
      var attr: Map[String, String] = null
      val kwargs = scala.collection.mutable.LinkedHashMap.empty[String, Any]
      args.zipWithIndex.foreach { case ((k, raw), i) =>
        val v = raw match {
          case Some(x) => x
          case None => null
          case x => x
        }
        val key = if (k.nonEmpty) k else {
          require(i < op.argNames.size, s"Symbol.api.$opName takes ${op.argNames.size} arguments")
          op.argNames(i)
        }
        key match {
          case "name" => name = v.asInstanceOf[String]
          case "attr" => attr = castAttr(opName, v)
          case _ if v != null => kwargs(key) = v
          case _ =>
        }
      }
      // A variadic operator's inputs arrive as one Seq/Array of symbols.
      val variadic = kwargs.collectFirst { case (k, s: Traversable[_]) if op.inputNames.contains(k) => k -> s }
        .orElse(kwargs.collectFirst { case (k, a: Array[_]) if op.inputNames.contains(k) => k -> a.toSeq })
      variadic match {
        case Some((k, syms)) =>
          OperatorRegistry.create(opName, name, attr, syms.toSeq.map(_.asInstanceOf[Symbol]),
            (kwargs - k).toMap)
        case None => OperatorRegistry.create(opName, name, attr, Nil, kwargs.toMap)
      }
    }
  }

  implicit def int2Scalar(x: Int): SymbolConversions = new SymbolConversions(x.toString)
  implicit def long2Scalar(x: Long): SymbolConversions = new SymbolConversions(x.toString)
  implicit def float2Scalar(x: Float): SymbolConversions = new SymbolConversions(x.toString)
  implicit def double2Scalar(x: Double): SymbolConversions = new SymbolConversions(x.toString)

  private[mxnet] def binary(op: String, hint: String, lhs: Symbol, rhs: Symbol): Symbol =
    OperatorRegistry.create(op, null, null, Seq(lhs, rhs), null, hint)

  // Automatic names follow MXNet's: the op name without underscores after the first
  // (_plus_scalar -> _plusscalar0).
  private[mxnet] def scalar(op: String, sym: Symbol, value: String): Symbol =
    OperatorRegistry.create(op, null, null, Seq(sym), Map("scalar" -> value),
      "_" + op.drop(1).replace("_", ""))

  private[mxnet] def group2ctxArrays(g2c: Map[String, Context]): (Array[String], Array[Int], Array[Int]) = {
    val m = if (g2c == null) Map.empty[String, Context] else g2c
    val keys = m.keys.toArray
    (keys, keys.map(k => m(k).deviceTypeid), keys.map(k => m(k).deviceId))
  }
}

/** A scalar on the left of a Symbol operator: 1 - x, 2 / x, 3 + x, 4 * x. */
class SymbolConversions(scalar: String) {
  def +(other: Symbol): Symbol = Symbol.scalar("_plus_scalar", other, scalar)
  def -(other: Symbol): Symbol = Symbol.scalar("_rminus_scalar", other, scalar)
  def *(other: Symbol): Symbol = Symbol.scalar("_mul_scalar", other, scalar)
  def /(other: Symbol): Symbol = Symbol.scalar("_rdiv_scalar", other, scalar)
}

/** The arrays given to bind: a Seq in argument order, or a Map by name. */
sealed abstract class BindArrays

object BindArrays {
  final case class Positional(arrays: Seq[NDArray]) extends BindArrays
  final case class ByName(arrays: scala.collection.Map[String, NDArray]) extends BindArrays

  implicit def fromSeq(s: Seq[NDArray]): BindArrays = if (s == null) null else Positional(s)
  implicit def fromArray(a: Array[NDArray]): BindArrays = if (a == null) null else Positional(a.toSeq)
  implicit def fromMap(m: scala.collection.Map[String, NDArray]): BindArrays =
    if (m == null) null else ByName(m)

  private[mxnet] def resolve(given: BindArrays, names: IndexedSeq[String], what: String,
                             allowMissing: Boolean): Array[NDArray] = given match {
    case Positional(arrays) =>
      require(arrays.size == names.size,
        s"bind: $what has ${arrays.size} arrays but the symbol has ${names.size} (${names.mkString(", ")})")
      require(allowMissing || arrays.forall(_ != null), s"bind: $what contains null")
      arrays.toArray
    case ByName(arrays) =>
      names.map { n =>
        val a = arrays.getOrElse(n, null)
        require(allowMissing || a != null, s"bind: $what has no array for '$n'")
        a
      }.toArray
  }
}

/** How gradients are written: "write", "add" or "null", for all, per argument or by name. */
sealed abstract class GradReq

object GradReq {
  final case class ForAll(req: String) extends GradReq
  final case class PerArgument(reqs: Seq[String]) extends GradReq
  final case class ByName(reqs: scala.collection.Map[String, String]) extends GradReq

  implicit def fromString(s: String): GradReq = if (s == null) null else ForAll(s)
  implicit def fromSeq(s: Seq[String]): GradReq = if (s == null) null else PerArgument(s)
  implicit def fromArray(a: Array[String]): GradReq = if (a == null) null else PerArgument(a.toSeq)
  implicit def fromMap(m: scala.collection.Map[String, String]): GradReq =
    if (m == null) null else ByName(m)

  private val codes = Map("null" -> 0, "write" -> 1, "add" -> 3)

  private[mxnet] def code(req: String): Int = codes.getOrElse(req,
    throw new IllegalArgumentException(s"grad_req must be one of null, write, add; got '$req'"))

  /** The request for each argument, validated. */
  private[mxnet] def names(req: GradReq, argNames: IndexedSeq[String]): IndexedSeq[String] = {
    val out = req match {
      case null => argNames.map(_ => "write")
      case ForAll(r) => argNames.map(_ => r)
      case PerArgument(rs) =>
        require(rs.size == argNames.size,
          s"gradReq has ${rs.size} entries but the symbol has ${argNames.size} arguments")
        rs.toIndexedSeq
      case ByName(m) => argNames.map(n => m.getOrElse(n, "null"))
    }
    out.foreach(code)
    out
  }
}
