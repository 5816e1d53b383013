/*
 * The operator registry as the binding sees it: every operator Loom registers, read once
 * through MXSymbolListAtomicSymbolCreators / MXSymbolGetAtomicSymbolInfo, and the one routine
 * that turns an operator name plus Scala arguments into a composed Symbol. No operator is
 * written out by hand here; Symbol's dynamic methods (Symbol.FullyConnected(...) and
 * Symbol.api.FullyConnected(...)) all end in `OperatorRegistry.create`.
 */
package org.apache.mxnet

import org.apache.mxnet.Base._LIB
import org.apache.mxnet.DType.DType

/** What the engine says about one operator. */
private[mxnet] final class OperatorInfo(val name: String, val creator: Long,
                                        val description: String,
                                        val argNames: IndexedSeq[String],
                                        val argTypes: IndexedSeq[String],
                                        val keyVarNumArgs: String) {
  // Data inputs are typed "NDArray-or-Symbol" (with "[]" when variadic); the rest are params.
  private def isInput(t: String) = t.startsWith("NDArray-or-Symbol")
  val inputNames: IndexedSeq[String] =
    argNames.zip(argTypes).collect { case (n, t) if isInput(t) => n }
  val paramNames: IndexedSeq[String] =
    argNames.zip(argTypes).collect { case (n, t) if !isInput(t) => n }
  val variadic: Boolean = argTypes.exists(_.startsWith("NDArray-or-Symbol[]"))
}

private[mxnet] object OperatorRegistry {
  lazy val operators: Map[String, OperatorInfo] =
    _LIB.mxSymbolListAtomicSymbolCreators().map { creator =>
      val info = _LIB.mxSymbolGetAtomicSymbolInfo(creator)
      val op = new OperatorInfo(
        name = info(0).asInstanceOf[String],
        creator = creator,
        description = info(1).asInstanceOf[String],
        argNames = info(4).asInstanceOf[Array[String]].toIndexedSeq,
        argTypes = info(5).asInstanceOf[Array[String]].toIndexedSeq,
        keyVarNumArgs = info(2).asInstanceOf[String])
      op.name -> op
    }.toMap

  /** By canonical name or alias (aliases resolve through the registry, as NNGetOpHandle does). */
  def apply(name: String): OperatorInfo = operators.getOrElse(name, {
    val creator = _LIB.nnGetOpHandle(name) // throws MXNetError naming an unknown operator
    operators.values.find(_.creator == creator).getOrElse(
      throw new MXNetError(s"Operator '$name' is not registered in Loom"))
  })

  /** The text form of a parameter value, as MXNet's Python and Scala front ends wrote it. */
  def paramString(value: Any): String = value match {
    case b: Boolean => if (b) "True" else "False"
    case s: Shape => s.toString
    case d: DType => d.toString
    case c: Context => c.toString
    case s: String => s
    case a: Array[_] => a.map(paramString).mkString("(", ",", ")")
    case t: Traversable[_] => t.map(paramString).mkString("(", ",", ")")
    case p: Product if p.productArity > 0 && p.getClass.getName.startsWith("scala.Tuple") =>
      p.productIterator.map(paramString).mkString("(", ",", ")")
    case other => other.toString
  }

  /**
   * Creates operator `opName` applied to inputs given positionally (`args`) or by name
   * (Symbol values in `kwargs`); the other kwargs are parameters. Automatic names use `hint`
   * (the lower-cased operator name unless given).
   */
  def create(opName: String, name: String, attr: Map[String, String], args: Seq[Symbol],
             kwargs: Map[String, Any], hint: String = null): Symbol = {
    val op = apply(opName)
    val kw = if (kwargs == null) Map.empty[String, Any] else kwargs
    val inputs = kw.collect { case (k, s: Symbol) => k -> s }
    val params = kw.collect { case (k, v) if v != null && !v.isInstanceOf[Symbol] => k -> paramString(v) }
    val positional = if (args == null) Seq.empty[Symbol] else args
    require(positional.forall(_ != null), s"$opName: an input symbol is null")
    if (positional.nonEmpty && inputs.nonEmpty) {
      throw new IllegalArgumentException(
        s"$opName: pass the input symbols either positionally or by name, not both")
    }
    // Variadic operators count their inputs in a parameter (Concat's num_args); MXNet's
    // front ends fill it in.
    val allParams =
      if (op.keyVarNumArgs.nonEmpty && !params.contains(op.keyVarNumArgs) && positional.nonEmpty) {
        params + (op.keyVarNumArgs -> positional.size.toString)
      } else params
    val attrs = AttrScope.current.get(Option(attr))
    val symName = NameManager.current.get(Option(name), if (hint != null) hint else opName.toLowerCase)
    val keys = allParams.keys.toArray
    val sym = new Symbol(_LIB.symCreateAtomicSymbol(op.creator, keys, keys.map(allParams)))
    try {
      attrs.foreach { case (k, v) => sym.setAttr(k, v) }
      if (inputs.nonEmpty) sym.compose(symName, inputs) else sym.compose(symName, positional)
      sym
    } catch {
      case e: Throwable => sym.dispose(); throw e
    }
  }
}

/**
 * `Symbol.<Op>(name, attr)` returns this; applying it to input symbols gives the last step,
 * which takes the keyword map: `Symbol.FullyConnected(name = "fc1")(data)(Map("num_hidden" -> 10))`.
 */
final class SymbolFunction private[mxnet] (opName: String, name: String,
                                           attr: Map[String, String]) {
  def apply(args: Symbol*): SymbolInputs = new SymbolInputs(opName, name, attr, args)
}

final class SymbolInputs private[mxnet] (opName: String, name: String, attr: Map[String, String],
                                         args: Seq[Symbol]) {
  def apply(kwargs: Map[String, Any] = null): Symbol =
    OperatorRegistry.create(opName, name, attr, args, kwargs)
}
