/*
 * Release of native handles (symbols, arrays, executors).
 *
 * Three ways, in order of preference: an explicit dispose() (or close(), for
 * try-with-resources style code); the end of the ResourceScope the object was created in; and,
 * as a last resort, a java.lang.ref.Cleaner once the object is garbage-collected, which logs a
 * warning because native memory was held for longer than the program meant to.
 */
package org.apache.mxnet

import java.lang.ref.Cleaner
import java.util.concurrent.atomic.{AtomicBoolean, AtomicLong}
import java.util.logging.Logger

/**
 * An object owning a native handle (MXNet's NativeResource). Disposing twice is harmless.
 */
trait NativeResource extends AutoCloseable {
  /** native Address associated with this object; throws IllegalStateException once disposed. */
  def nativeAddress: Long

  /**
   * Function Pointer to the NativeDeAllocator of nativeAddress: frees a handle of this kind and
   * returns 0, or -1 on failure (the C ABI's convention). It is what dispose() and the cleaner
   * call; calling it yourself on a live object's address bypasses dispose and leaves the
   * object pointing at a freed handle.
   */
  def nativeDeAllocator: Long => Int

  /** The NativeResourceRef tracking this object (the one register() returns). */
  def ref: NativeResourceRef

  /**
   * Register this object for PhantomReference tracking and in ResourceScope if used inside
   * ResourceScope. Objects register themselves when created; calling it again returns the same
   * ref and, inside a ResourceScope that does not hold the object yet, hands the object to
   * that scope.
   */
  def register(): NativeResourceRef

  /** Off-Heap Bytes Allocated for this object (0 where Loom cannot tell, as for symbols). */
  def bytesAllocated: Long

  def isDisposed: Boolean
  def dispose(): Unit
  override def close(): Unit = dispose()
}

/**
 * Tracks the reachability of one NativeResource through a PhantomReference (a
 * java.lang.ref.Cleaner registration) so its handle is freed, with a warning, if the object is
 * garbage-collected undisposed. It holds the address and the deallocator, never the resource.
 */
final class NativeResourceRef private[mxnet] (val nativeAddress: Long,
                                              val resourceDeAllocator: Long => Int,
                                              registration: NativeResource.Registration) {
  /** True once the handle has been freed, by dispose(), a ResourceScope or the cleaner. */
  def isReleased: Boolean = registration.isReleased

  /** True when the cleaner freed the handle because the object was never disposed. */
  def releasedByCleaner: Boolean = registration.isReleasedByCleaner
}

private[mxnet] object NativeResource {
  private val logger = Logger.getLogger("org.apache.mxnet.NativeResource")
  private val cleaner: Cleaner = Cleaner.create()
  /** How many objects were released by the cleaner instead of dispose() (for tests). */
  val releasedByCleaner = new AtomicLong(0)

  // The cleaning action must not refer to the resource itself, or it would never become
  // unreachable; it holds only the handle, a description and the free function.
  private final class Release(handle: Long, what: String, free: Long => Unit) extends Runnable {
    val explicit = new AtomicBoolean(false)
    @volatile var ran = false
    override def run(): Unit = {
      ran = true
      if (!explicit.get()) {
        releasedByCleaner.incrementAndGet()
        logger.warning(s"$what was not disposed; releasing it on garbage collection. " +
          "Call dispose() or create it inside ResourceScope.using.")
      }
      try free(handle) catch {
        // The cleaner thread must survive a failing free; the object is gone either way.
        case e: Throwable => logger.warning(s"releasing $what failed: ${e.getMessage}")
      }
    }
  }

  private[mxnet] final class Registration(handle: Long, what: String, free: Long => Unit,
                                          owner: AnyRef) {
    private val release = new Release(handle, what, free)
    private val cleanable = cleaner.register(owner, release)
    def releaseNow(): Unit = {
      release.explicit.set(true)
      cleanable.clean() // runs `release` at most once, whoever calls first
    }
    def isReleased: Boolean = release.ran
    def isReleasedByCleaner: Boolean = release.ran && !release.explicit.get()
  }

  /** A throwing free function in the C ABI's 0 / -1 form, as MXNet's deallocators were. */
  private[mxnet] def deAllocator(free: Long => Unit): Long => Int = handle =>
    try { free(handle); 0 } catch { case _: MXNetError => -1 }
}

/**
 * Base of the classes that own one native handle. Subclasses pass the handle, a short name
 * for messages and the function that frees it; `disposeOwned` releases what the object owns
 * besides its handle (an executor's output arrays). `scoped = false` is for objects owned by
 * another resource, which the current ResourceScope must not dispose on its own.
 */
private[mxnet] abstract class NativeHandle(handle: Long, kind: String, free: Long => Unit,
                                           scoped: Boolean = true) extends NativeResource {
  @volatile private var disposed = false
  private val registration =
    new NativeResource.Registration(handle, f"$kind (handle 0x$handle%x)", free, this)
  final override val nativeDeAllocator: Long => Int = NativeResource.deAllocator(free)
  final override val ref: NativeResourceRef =
    new NativeResourceRef(handle, nativeDeAllocator, registration)
  // Objects owned by another resource (an executor's outputs) are released by their owner.
  if (scoped) ResourceScope.current.foreach(_.add(this))

  final override def register(): NativeResourceRef = {
    if (!disposed) ResourceScope.current.foreach(s => if (!s.contains(this)) s.add(this))
    ref
  }

  override def bytesAllocated: Long = 0L

  final override def nativeAddress: Long = {
    if (disposed) throw new IllegalStateException(s"$kind has been disposed")
    handle
  }

  final override def isDisposed: Boolean = disposed

  /** Runs `f` with the live handle and keeps this object reachable until it returns. */
  private[mxnet] final def withHandle[T](f: Long => T): T =
    try f(nativeAddress) finally java.lang.ref.Reference.reachabilityFence(this)

  protected def disposeOwned(): Unit = ()

  final override def dispose(): Unit = {
    val first = synchronized {
      val wasLive = !disposed
      disposed = true
      wasLive
    }
    if (first) {
      try disposeOwned() finally {
        registration.releaseNow()
        ResourceScope.forget(this)
      }
    }
  }

  // Identity semantics: scopes keep resources in hash sets.
  final override def equals(other: Any): Boolean = other match {
    case r: AnyRef => this eq r
    case _ => false
  }
  final override def hashCode(): Int = System.identityHashCode(this)
}

/**
 * Disposes every native resource created inside it (on the creating thread) when it is
 * closed, except those handed back as the result of `ResourceScope.using`.
 */
class ResourceScope extends AutoCloseable {
  // Insertion order is kept so resources are released newest first (executors before the
  // arrays they use).
  private val resources = new java.util.LinkedHashSet[NativeResource]()
  ResourceScope.push(this)

  def add(resource: NativeResource): Unit = resources.add(resource)

  def remove(resource: NativeResource): Unit = resources.remove(resource)

  def contains(resource: NativeResource): Boolean = resources.contains(resource)

  /** Hands `resource` to the enclosing scope (or to nobody) so this scope won't dispose it. */
  def moveToOuterScope(resource: NativeResource): Unit = {
    if (resources.remove(resource)) ResourceScope.outerOf(this).foreach(_.add(resource))
  }

  override def close(): Unit = {
    ResourceScope.pop(this)
    val all = resources.toArray(new Array[NativeResource](0))
    resources.clear()
    var failure: Throwable = null
    for (r <- all.reverseIterator) {
      try r.dispose() catch { case e: Throwable => if (failure == null) failure = e }
    }
    if (failure != null) throw failure
  }
}

object ResourceScope {
  private val stack = new ThreadLocal[List[ResourceScope]] {
    override def initialValue(): List[ResourceScope] = Nil
  }

  private[mxnet] def current: Option[ResourceScope] = stack.get().headOption

  private def push(scope: ResourceScope): Unit = stack.set(scope :: stack.get())

  private def pop(scope: ResourceScope): Unit = stack.set(stack.get().filterNot(_ eq scope))

  private def outerOf(scope: ResourceScope): Option[ResourceScope] =
    stack.get().dropWhile(_ ne scope).drop(1).headOption

  // Called on dispose so that a scope does not keep disposed objects alive.
  private[mxnet] def forget(resource: NativeResource): Unit = stack.get().foreach(_.remove(resource))

  /**
   * Runs `body`, then disposes every native resource created during it, except the result:
   * a NativeResource returned (alone, in a collection or in a tuple) moves to the enclosing
   * scope.
   *
   * {{{
   * val out = ResourceScope.using() {
   *   val x = NDArray.ones(Shape(2, 2))
   *   x.toArray                       // x is disposed here
   * }
   * }}}
   */
  def using[T](scope: ResourceScope = null)(body: => T): T = {
    val s = if (scope != null) scope else new ResourceScope()
    var result: Option[T] = None
    try {
      val r = body
      result = Some(r)
      keep(s, r)
      r
    } finally {
      s.close()
    }
  }

  private def keep(scope: ResourceScope, value: Any): Unit = value match {
    case e: Executor =>
      // An executor is useless without the arrays it was bound to.
      scope.moveToOuterScope(e)
      (e.argArrays ++ e.gradArrays ++ e.auxArrays).filter(_ != null).foreach(keep(scope, _))
    case r: NativeResource => scope.moveToOuterScope(r)
    case m: scala.collection.Map[_, _] => m.foreach { case (k, v) => keep(scope, k); keep(scope, v) }
    case t: Traversable[_] => t.foreach(keep(scope, _))
    case a: Array[_] => a.foreach(keep(scope, _))
    case p: Product => p.productIterator.foreach(keep(scope, _))
    case _ =>
  }
}
