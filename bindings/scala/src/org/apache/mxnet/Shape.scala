/*
 * Array shapes (MXNet's Shape): an immutable list of dimensions printed as "(2,3)".
 */
package org.apache.mxnet

object Shape {
  def apply(dims: Int*): Shape = new Shape(dims: _*)
  def apply(dims: Traversable[Int]): Shape = new Shape(dims)
}

class Shape(dims: Traversable[Int]) extends Serializable {
  private val shape = dims.toVector

  def this(dims: Int*) = this(dims.toVector)

  def apply(dim: Int): Int = shape(dim)
  def get(dim: Int): Int = apply(dim)
  /** Number of dimensions. */
  def size: Int = shape.size
  def length: Int = shape.length
  def head: Int = shape.head
  def last: Int = shape.last
  def drop(dim: Int): Shape = new Shape(shape.drop(dim))
  def slice(from: Int, end: Int): Shape = new Shape(shape.slice(from, end))
  /** Number of elements. */
  def product: Int = shape.product
  def toArray: Array[Int] = shape.toArray
  def toVector: Vector[Int] = shape
  def ++(other: Shape): Shape = new Shape(shape ++ other.toVector)

  override def equals(other: Any): Boolean = other match {
    case s: Shape => s.toVector == shape
    case _ => false
  }

  override def hashCode(): Int = shape.hashCode()

  override def toString: String = shape.mkString("(", ",", ")")
}
