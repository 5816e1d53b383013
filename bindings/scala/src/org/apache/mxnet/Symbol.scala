/*
 * Symbol: a network declared as a graph of operators (MXNet's Symbol API for Scala).
 *
 * Operators are not written out here: `Symbol.<Op>(name, attr)(inputs*)(kwargs)` and
 * `Symbol.api.<Op>(...)` are resolved at run time against the engine's operator registry
 * (see Operators.scala). Arithmetic maps to MXNet's operators and to the automatic names
 * MXNet's Scala package gave them (a + b is elemwise_add named _plus0, a * 2 is _mul_scalar
 * named _mulscalar0, a ** 2 is _power_scalar named _powerscalar0, a > 1 is _greater_scalar
 * named _greater_scalar0).
 *
 * WARNING: it is your responsibility to clear this object through dispose() (or a
 * ResourceScope); the garbage-collection cleaner is only a last resort.
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

  def **(other: Symbol): Symbol = Symbol.pow(this, other)
  def **(other: Int): Symbol = Symbol.pow(this, other)
  def **(other: Long): Symbol = Symbol.pow(this, other)
  def **(other: Float): Symbol = Symbol.pow(this, other)
  def **(other: Double): Symbol = Symbol.pow(this, other)

  def %(other: Symbol): Symbol = Symbol.binary("_mod", "_mod", this, other)
  def %(other: Int): Symbol = Symbol.scalar("_mod_scalar", this, other.toString)
  def %(other: Long): Symbol = Symbol.scalar("_mod_scalar", this, other.toString)
  def %(other: Float): Symbol = Symbol.scalar("_mod_scalar", this, other.toString)
  def %(other: Double): Symbol = Symbol.scalar("_mod_scalar", this, other.toString)

  // Comparisons give 1 where the relation holds and 0 elsewhere, in the input's dtype.
  def >(other: Symbol): Symbol = Symbol.greater(this, other)
  def >(other: Int): Symbol = Symbol.greater(this, other)
  def >(other: Long): Symbol = Symbol.greater(this, other)
  def >(other: Float): Symbol = Symbol.greater(this, other)
  def >(other: Double): Symbol = Symbol.greater(this, other)
  def >=(other: Symbol): Symbol = Symbol.greaterEqual(this, other)
  def >=(other: Int): Symbol = Symbol.greaterEqual(this, other)
  def >=(other: Long): Symbol = Symbol.greaterEqual(this, other)
  def >=(other: Float): Symbol = Symbol.greaterEqual(this, other)
  def >=(other: Double): Symbol = Symbol.greaterEqual(this, other)
  def <(other: Symbol): Symbol = Symbol.lesser(this, other)
  def <(other: Int): Symbol = Symbol.lesser(this, other)
  def <(other: Long): Symbol = Symbol.lesser(this, other)
  def <(other: Float): Symbol = Symbol.lesser(this, other)
  def <(other: Double): Symbol = Symbol.lesser(this, other)
  def <=(other: Symbol): Symbol = Symbol.lesserEqual(this, other)
  def <=(other: Int): Symbol = Symbol.lesserEqual(this, other)
  def <=(other: Long): Symbol = Symbol.lesserEqual(this, other)
  def <=(other: Float): Symbol = Symbol.lesserEqual(this, other)
  def <=(other: Double): Symbol = Symbol.lesserEqual(this, other)

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

  /**
   * The inputs of the head node(s) as one grouped symbol (each node's inputs once), or None
   * when there are none (a variable).
   */
  def getChildren(): Option[Symbol] = {
    val children = new Symbol(withHandle(h => _LIB.symGetChildren(h)))
    if (children.withHandle(h => _LIB.symGetNumOutputs(h)) > 0) Some(children)
    else { children.dispose(); None }
  }

  /** Number of outputs. */
  def numOutputs: Int = withHandle(h => _LIB.symGetNumOutputs(h))

  def listArguments(): IndexedSeq[String] = withHandle(h => _LIB.symListArguments(h).toIndexedSeq)

  /** Every variable, arguments and auxiliary states alike, in graph order (MXNet's list_inputs). */
  def listInputs(): IndexedSeq[String] = withHandle(h => _LIB.symListInputNames(h, 0).toIndexedSeq)

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

  /**
   * As inferShape, but returns what could be inferred even when incomplete: an unknown
   * dimension is 0 and an unknown shape is the empty Shape().
   */
  def inferShapePartial(kwargs: Map[String, Shape])
      : (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) = {
    val keys = kwargs.keys.toArray
    val (a, o, x, _) = runInferShape(keys, keys.map(k => shapeArray(kwargs(k))))
    (a, o, x)
  }

  /** inferShapePartial with shapes in listArguments order; null marks an unknown shape. */
  def inferShapePartial(args: Shape*): (IndexedSeq[Shape], IndexedSeq[Shape], IndexedSeq[Shape]) = {
    val (a, o, x, _) = runInferShape(null, args.map(shapeArray).toArray)
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

  /**
   * Infers dtypes from the known ones (by argument name). Returns (argTypes, outTypes,
   * auxTypes) in listArguments / listOutputs / listAuxiliaryStates order, or three nulls when
   * the given types do not determine them all. Inconsistent types throw MXNetError.
   */
  def inferType(kwargs: Map[String, DType]): (Seq[DType], Seq[DType], Seq[DType]) = {
    val (keys, types) = typeArrays(kwargs)
    complete(runInferType(keys, types, partial = false))
  }

  /** inferType with dtypes in listArguments order; null marks an unknown one. */
  def inferType(args: DType*): (Seq[DType], Seq[DType], Seq[DType]) =
    complete(runInferType(null, args.map(typeFlag).toArray, partial = false))

  /** As inferType, but returns what could be inferred; an unknown dtype is null. */
  def inferTypePartial(kwargs: Map[String, DType]): (Seq[DType], Seq[DType], Seq[DType]) = {
    val (keys, types) = typeArrays(kwargs)
    val (a, o, x, _) = runInferType(keys, types, partial = true)
    (a, o, x)
  }

  /** inferTypePartial with dtypes in listArguments order; null marks an unknown one. */
  def inferTypePartial(args: DType*): (Seq[DType], Seq[DType], Seq[DType]) = {
    val (a, o, x, _) = runInferType(null, args.map(typeFlag).toArray, partial = true)
    (a, o, x)
  }

  private def typeFlag(t: DType): Int = if (t == null) -1 else t.id

  private def typeArrays(kwargs: Map[String, DType]): (Array[String], Array[Int]) = {
    require(kwargs != null, "inferType: kwargs is null")
    val keys = kwargs.keys.toArray
    (keys, keys.map(k => typeFlag(kwargs(k))))
  }

  private def runInferType(keys: Array[String], types: Array[Int], partial: Boolean)
      : (Seq[DType], Seq[DType], Seq[DType], Boolean) = {
    val r = withHandle(h => _LIB.symInferType(h, keys, types, partial))
    def part(i: Int): Seq[DType] =
      r(i).asInstanceOf[Array[Int]].map(f => if (f < 0) null else DType.fromFlag(f)).toSeq
    (part(0), part(1), part(2), r(3).asInstanceOf[java.lang.Boolean].booleanValue)
  }

  /**
   * The gradient of this symbol with respect to the arguments named in `wrt`, as a symbol
   * with one output per name (MXNet documented Symbol.gradient but never implemented it;
   * Loom does, through MXSymbolGrad). The outputs of this symbol are summed first, so each
   * gradient has the shape of its argument; loss outputs contribute their own gradient. The
   * result is an ordinary graph: it can be bound, saved and differentiated again.
   */
  def gradient(wrt: Seq[String]): Symbol = {
    require(wrt != null, "gradient: wrt is null")
    new Symbol(withHandle(h => _LIB.symGrad(h, wrt.toArray)))
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

  /**
   * Invoke symbol as function on inputs: a copy of this symbol in which every variable named
   * by a key of `symbols` is replaced by that (single-output) symbol. `name`, when given,
   * renames the result's head operator. This symbol is left as it was.
   */
  def apply(name: String, symbols: Map[String, Symbol]): Symbol = {
    require(symbols != null, "apply: symbols is null")
    val s = clone()
    try { s.compose(name, symbols); s } catch { case e: Throwable => s.dispose(); throw e }
  }

  /** apply without renaming the result. */
  def apply(symbols: Map[String, Symbol]): Symbol = apply(null: String, symbols)

  /**
   * Invoke symbol as function on positional inputs: the i-th symbol replaces the i-th
   * argument in listArguments order; arguments beyond the inputs given stay variables.
   */
  def apply(name: String, symbols: Symbol*): Symbol = {
    val argNames = listArguments()
    require(symbols.size <= argNames.size,
      s"apply: ${symbols.size} inputs given but the symbol has ${argNames.size} arguments " +
        s"(${argNames.mkString(", ")})")
    require(symbols.forall(_ != null), "apply: an input symbol is null")
    apply(name, argNames.zip(symbols).toMap)
  }

  /** Positional apply without renaming the result. */
  def apply(symbols: Symbol*): Symbol = apply(null: String, symbols: _*)

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
   * "null", per argument as a Seq, or by name as a Map (absent names: "null"). `auxStates`
   * are required when listAuxiliaryStates is not empty (Nil or null otherwise). `group2ctx`
   * maps ctx_group attributes to contexts; `sharedExec` lends its memory to the new executor.
   * The arrays are used by reference and must outlive the executor.
   *
   * Every combination MXNet's Scala overloads took (Seq or Map for each array argument,
   * String, Seq or Map for gradReq, the 2-, 3- and 7-argument forms) compiles against this
   * one method through the implicit conversions of BindArrays and GradReq.
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
    // Placing groups on the bind context itself is what binding without group2ctx does, so
    // such a map (MXNet code written for one device) binds on engines without placement.
    val placement =
      if (group2ctx != null && group2ctx.values.forall(_ == ctx)) null else group2ctx
    val (gKeys, gTypes, gIds) = Symbol.group2ctxArrays(placement)
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

  /**
   * Create a symbolic variable with specified name (an input or a parameter of the network).
   *
   * @param attr Additional attributes to set on the variable (they win over the others).
   * @param shape Stored as `__shape__`; used by shape inference unless a shape is given there.
   * @param lrMult The learning rate multiplier (`__lr_mult__`).
   * @param wdMult The weight decay multiplier (`__wd_mult__`).
   * @param dType Stored as `__dtype__` (the type flag); used by type inference and simpleBind.
   * @param kwargs Additional attributes, whose names must start and end with double
   *               underscores (`__init__`, `__storage_type__`...).
   * The current AttrScope's attributes are added beneath all of these.
   */
  def Variable(name: String, attr: Map[String, String] = null, shape: Shape = null,
               lrMult: Option[Float] = None, wdMult: Option[Float] = None, dType: DType = null,
               kwargs: Map[String, String] = Map.empty[String, String]): Symbol = {
    require(name != null, "Variable: name is null")
    val own = Option(kwargs).getOrElse(Map.empty[String, String])
    own.keys.foreach { k =>
      require(k.length > 4 && k.startsWith("__") && k.endsWith("__"),
        s"Attribute name=$k is not supported. Additional attributes must start and end with " +
          "double underscores, e.g, __yourattr__")
    }
    val tmpAttr = Seq(
      Option(shape).map("__shape__" -> _.toString),
      Option(lrMult).flatten.map("__lr_mult__" -> _.toString),
      Option(wdMult).flatten.map("__wd_mult__" -> _.toString),
      Option(dType).map("__dtype__" -> _.id.toString)).flatten.toMap ++
      own ++ Option(attr).getOrElse(Map.empty[String, String])
    val sym = new Symbol(_LIB.symCreateVariable(name))
    try {
      sym.setAttr(AttrScope.current.get(Some(tmpAttr)))
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

  /** Loads a symbol saved by save (or by MXNet: `prefix-symbol.json`). */
  def load(fname: String): Symbol = {
    require(fname != null, "load: fname is null")
    new Symbol(_LIB.symCreateFromFile(fname))
  }

  /** Loads a symbol from MXNet JSON text (see toJson). */
  def loadJson(json: String): Symbol = {
    require(json != null, "loadJson: json is null")
    new Symbol(_LIB.symCreateFromJSON(json))
  }

  def pow(sym1: Symbol, sym2: Symbol): Symbol = binary("_power", "_power", sym1, sym2)
  def pow[V: Numeric](sym: Symbol, number: V): Symbol = scalar("_power_scalar", sym, number.toString)
  def pow[V: Numeric](number: V, sym: Symbol): Symbol = scalar("_rpower_scalar", sym, number.toString)

  /** Elementwise maximum. */
  def max(left: Symbol, right: Symbol): Symbol = binary("_maximum", "_maximum", left, right)
  def max[V: Numeric](left: Symbol, right: V): Symbol = scalar("_maximum_scalar", left, right.toString)
  def max[V: Numeric](left: V, right: Symbol): Symbol = scalar("_maximum_scalar", right, left.toString)

  /** Elementwise minimum. */
  def min(left: Symbol, right: Symbol): Symbol = binary("_minimum", "_minimum", left, right)
  def min[V: Numeric](left: Symbol, right: V): Symbol = scalar("_minimum_scalar", left, right.toString)
  def min[V: Numeric](left: V, right: Symbol): Symbol = scalar("_minimum_scalar", right, left.toString)

  def equal(left: Symbol, right: Symbol): Symbol = binary("_equal", "_equal", left, right)
  def equal[V: Numeric](left: Symbol, right: V): Symbol = comparison("_equal_scalar", left, right)
  def equal[V: Numeric](left: V, right: Symbol): Symbol = comparison("_equal_scalar", right, left)

  def notEqual(left: Symbol, right: Symbol): Symbol = binary("_not_equal", "_not_equal", left, right)
  def notEqual[V: Numeric](left: Symbol, right: V): Symbol = comparison("_not_equal_scalar", left, right)
  def notEqual[V: Numeric](left: V, right: Symbol): Symbol = comparison("_not_equal_scalar", right, left)

  def greater(left: Symbol, right: Symbol): Symbol = binary("_greater", "_greater", left, right)
  def greater[V: Numeric](left: Symbol, right: V): Symbol = comparison("_greater_scalar", left, right)

  def greaterEqual(left: Symbol, right: Symbol): Symbol =
    binary("_greater_equal", "_greater_equal", left, right)
  def greaterEqual[V: Numeric](left: Symbol, right: V): Symbol =
    comparison("_greater_equal_scalar", left, right)

  def lesser(left: Symbol, right: Symbol): Symbol = binary("_lesser", "_lesser", left, right)
  def lesser[V: Numeric](left: Symbol, right: V): Symbol = comparison("_lesser_scalar", left, right)

  def lesserEqual(left: Symbol, right: Symbol): Symbol =
    binary("_lesser_equal", "_lesser_equal", left, right)
  def lesserEqual[V: Numeric](left: Symbol, right: V): Symbol =
    comparison("_lesser_equal_scalar", left, right)

  /** A symbol of the given shape and dtype filled with zeros (operator _zeros). */
  def zeros(shape: Shape, dType: DType = DType.Float32, ctx: Context = null): Symbol =
    filled("_zeros", shape, dType, ctx)

  /** A symbol of the given shape and dtype filled with ones (operator _ones). */
  def ones(shape: Shape, dType: DType = DType.Float32, ctx: Context = null): Symbol =
    filled("_ones", shape, dType, ctx)

  private def filled(op: String, shape: Shape, dType: DType, ctx: Context): Symbol = {
    require(shape != null, s"$op: shape is null")
    val params = Map[String, Any]("shape" -> shape, "dtype" -> dType) ++
      Option(ctx).map(c => "ctx" -> c)
    OperatorRegistry.create(op, null, null, Nil, params)
  }

  /**
   * Evenly spaced values within [start, stop) (operator _arange); each value repeated
   * `repeat` times.
   */
  def arange(start: Float, stop: Option[Float] = None, step: Float = 1.0f, repeat: Int = 1,
             name: String = null, dType: DType = DType.Float32): Symbol =
    arange(start, stop, step, repeat, infer_range = false, name, dType)

  /** arange whose stop may be inferred from the output shape (`infer_range`). */
  def arange(start: Float, stop: Option[Float], step: Float, repeat: Int, infer_range: Boolean,
             name: String, dType: DType): Symbol = {
    val params = Map[String, Any]("start" -> start, "step" -> step, "repeat" -> repeat,
      "infer_range" -> infer_range, "dtype" -> dType) ++ Option(stop).flatten.map("stop" -> _)
    OperatorRegistry.create("_arange", name, null, Nil, params)
  }

  /**
   * Creates operator `operator` on inputs given in its input order; a variadic operator's
   * count parameter (Concat's num_args) is filled in. The automatic name uses the operator
   * name as written here, lower-cased.
   */
  def createFromListedSymbols(operator: String, name: String = null,
                              attr: Map[String, String] = null)(
      symbols: Array[Symbol], paramKwargs: Map[String, String] = null): Symbol =
    OperatorRegistry.create(operator, name, attr, Option(symbols).map(_.toSeq).getOrElse(Nil),
      Option(paramKwargs).getOrElse(Map.empty[String, String]), operator.toLowerCase)

  /** Creates operator `operator` on inputs given by input name. */
  def createFromNamedSymbols(operator: String, name: String = null,
                             attr: Map[String, String] = null)(
      symbols: Map[String, Symbol], paramKwargs: Map[String, String] = null): Symbol = {
    val op = OperatorRegistry(operator)
    require(op.keyVarNumArgs.isEmpty, s"[$operator] support variable length of Symbol arguments.\n" +
      "Please pass all the input Symbols via positional arguments instead of keyword arguments.")
    val kwargs: Map[String, Any] = Option(paramKwargs).getOrElse(Map.empty[String, String]) ++
      Option(symbols).getOrElse(Map.empty[String, Symbol])
    OperatorRegistry.create(operator, name, attr, Nil, kwargs, operator.toLowerCase)
  }

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

  // Automatic names follow MXNet's Scala package, which named these through the CamelCase
  // aliases: the op name without underscores after the first (_plus_scalar, alias
  // _PlusScalar -> _plusscalar0; _rpower_scalar, alias _RPowerScalar -> _rpowerscalar0).
  private[mxnet] def scalar(op: String, sym: Symbol, value: String): Symbol =
    OperatorRegistry.create(op, null, null, Seq(sym), Map("scalar" -> value),
      "_" + op.drop(1).replace("_", ""))

  // Comparisons were called by their own names, so their automatic names keep the
  // underscores (_greater_scalar0).
  private def comparison[V](op: String, sym: Symbol, value: V): Symbol =
    comparisonText(op, sym, value.toString)

  private[mxnet] def comparisonText(op: String, sym: Symbol, value: String): Symbol =
    OperatorRegistry.create(op, null, null, Seq(sym), Map("scalar" -> value), op)

  private[mxnet] def group2ctxArrays(g2c: Map[String, Context]): (Array[String], Array[Int], Array[Int]) = {
    val m = if (g2c == null) Map.empty[String, Context] else g2c
    val keys = m.keys.toArray
    (keys, keys.map(k => m(k).deviceTypeid), keys.map(k => m(k).deviceId))
  }
}

/**
 * A scalar on the left of a Symbol operator: 1 - x, 2 / x, 3 + x, 4 * x, 2 ** x, 5 % x, and
 * comparisons (2 > x is x < 2). With `import org.apache.mxnet.SymbolConversions._`, as in
 * MXNet, all of them work. Without it, the forms whose operator the number type already has
 * (+ - * / % > >= < <=) still find the conversions in Symbol's companion; `**` needs the
 * import.
 */
class SymbolConversions(scalar: String) {
  def +(other: Symbol): Symbol = Symbol.scalar("_plus_scalar", other, scalar)
  def -(other: Symbol): Symbol = Symbol.scalar("_rminus_scalar", other, scalar)
  def *(other: Symbol): Symbol = Symbol.scalar("_mul_scalar", other, scalar)
  def /(other: Symbol): Symbol = Symbol.scalar("_rdiv_scalar", other, scalar)
  def **(other: Symbol): Symbol = Symbol.scalar("_rpower_scalar", other, scalar)
  def %(other: Symbol): Symbol = Symbol.scalar("_rmod_scalar", other, scalar)
  def >(other: Symbol): Symbol = Symbol.comparisonText("_lesser_scalar", other, scalar)
  def >=(other: Symbol): Symbol = Symbol.comparisonText("_lesser_equal_scalar", other, scalar)
  def <(other: Symbol): Symbol = Symbol.comparisonText("_greater_scalar", other, scalar)
  def <=(other: Symbol): Symbol = Symbol.comparisonText("_greater_equal_scalar", other, scalar)
}

object SymbolConversions {
  implicit def int2Scalar(x: Int): SymbolConversions = new SymbolConversions(x.toString)
  implicit def long2Scalar(x: Long): SymbolConversions = new SymbolConversions(x.toString)
  implicit def float2Scalar(x: Float): SymbolConversions = new SymbolConversions(x.toString)
  implicit def double2Scalar(x: Double): SymbolConversions = new SymbolConversions(x.toString)
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
