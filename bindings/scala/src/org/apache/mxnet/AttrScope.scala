/*
 * Attribute scopes (MXNet's AttrScope): attributes such as ctx_group or lr_mult that every
 * symbol created inside `withScope` receives. Nested scopes merge; the inner value wins, and an
 * attribute passed to the creating call wins over both.
 */
package org.apache.mxnet

class AttrScope(attr: Map[String, String] = Map.empty) {
  private[mxnet] val attrs: Map[String, String] = if (attr == null) Map.empty else attr

  /** The scope's attributes merged with the call's own (which take precedence). */
  def get(userDefinedAttr: Option[Map[String, String]]): Map[String, String] =
    attrs ++ userDefinedAttr.getOrElse(Map.empty)

  def withScope[T](body: => T): T = {
    val previous = AttrScope.current
    AttrScope.setCurrent(new AttrScope(previous.attrs ++ attrs))
    try body finally AttrScope.setCurrent(previous)
  }
}

object AttrScope {
  private val holder = new ThreadLocal[AttrScope] {
    override def initialValue(): AttrScope = new AttrScope()
  }

  def current: AttrScope = holder.get()

  private def setCurrent(scope: AttrScope): Unit = holder.set(scope)
}
