// JNI bridge between the Scala classes in org.apache.mxnet (class LibInfo) and Loom's C ABI.
//
// Every function here converts Java values to C values, makes exactly the C ABI call(s) its
// name says, and converts the results back. A -1 from the C ABI becomes a thrown
// org.apache.mxnet.MXNetError carrying MXGetLastError(); a null where a value is required
// becomes a NullPointerException. No C++ exception ever leaves a JNI function: each body runs
// inside `guarded`, which turns anything thrown into a pending Java exception.

#include <jni.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "loom/c_api.h"

namespace {

// Thrown inside this file only, after a Java exception has been made pending; `guarded`
// catches it and returns to the JVM, which then raises the pending exception.
struct JavaPending {};

jclass g_mxnet_error = nullptr;
jmethodID g_mxnet_error_ctor = nullptr;
jclass g_string = nullptr;
jclass g_int_array = nullptr;
jclass g_npe = nullptr;
jclass g_illegal_argument = nullptr;
jclass g_oom = nullptr;
jclass g_boolean = nullptr;
jmethodID g_boolean_value_of = nullptr;
jclass g_object = nullptr;

jclass global_class(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) return nullptr;
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

void pending_if_exception(JNIEnv* env) {
  if (env->ExceptionCheck()) throw JavaPending{};
}

// Java strings are UTF-16; the engine speaks UTF-8. JNI's own "UTF" functions use modified
// UTF-8 (and NewStringUTF misbehaves on invalid input), so both directions are done here.
std::string to_utf8(const jchar* s, jsize n) {
  std::string out;
  out.reserve(static_cast<size_t>(n));
  for (jsize i = 0; i < n; ++i) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;  // unpaired surrogate
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::vector<jchar> to_utf16(const char* s) {
  std::vector<jchar> out;
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  size_t n = std::strlen(s);
  for (size_t i = 0; i < n;) {
    uint32_t c = p[i];
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len != 0 && i + len <= n;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);  // invalid byte: replace it and resynchronise on the next byte
      ++i;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<jchar>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<jchar>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<jchar>(cp));
    }
    i += len;
  }
  return out;
}

jstring new_string(JNIEnv* env, const char* s) {
  if (s == nullptr) return nullptr;
  std::vector<jchar> u = to_utf16(s);
  jstring out = env->NewString(u.data(), static_cast<jsize>(u.size()));
  pending_if_exception(env);
  return out;
}

void throw_new(JNIEnv* env, jclass cls, const char* msg) {
  env->ThrowNew(cls, msg);
  throw JavaPending{};
}

// Raises MXNetError with the engine's message for the failed call on this thread.
[[noreturn]] void throw_last_error(JNIEnv* env) {
  const char* msg = MXGetLastError();
  jstring text = new_string(env, msg != nullptr ? msg : "unknown error");
  auto err = static_cast<jthrowable>(env->NewObject(g_mxnet_error, g_mxnet_error_ctor, text));
  pending_if_exception(env);
  env->Throw(err);
  throw JavaPending{};
}

void check(JNIEnv* env, int rc) {
  if (rc != 0) throw_last_error(env);
}

template <typename T, typename F>
T guarded(JNIEnv* env, T fallback, F&& body) {
  try {
    return body();
  } catch (const JavaPending&) {
  } catch (const std::bad_alloc&) {
    if (!env->ExceptionCheck()) env->ThrowNew(g_oom, "out of memory in the Loom JNI bridge");
  } catch (const std::exception& e) {
    if (!env->ExceptionCheck()) env->ThrowNew(g_mxnet_error, e.what());
  } catch (...) {
    if (!env->ExceptionCheck())
      env->ThrowNew(g_mxnet_error, "unknown failure in the Loom JNI bridge");
  }
  return fallback;
}

template <typename F>
void guarded_void(JNIEnv* env, F&& body) {
  guarded(env, 0, [&] {
    body();
    return 0;
  });
}

std::string get_string(JNIEnv* env, jstring s, const char* what) {
  if (s == nullptr) throw_new(env, g_npe, what);
  jsize n = env->GetStringLength(s);
  std::vector<jchar> buf(static_cast<size_t>(n));
  env->GetStringRegion(s, 0, n, buf.data());
  pending_if_exception(env);
  return to_utf8(buf.data(), n);
}

// Strings of a String[]; `ptrs` points into `values`, so both live together.
struct StringArray {
  std::vector<std::string> values;
  std::vector<const char*> ptrs;
  bool is_null = true;
  const char** data() { return is_null ? nullptr : ptrs.data(); }
  mx_uint size() const { return static_cast<mx_uint>(values.size()); }
};

StringArray get_strings(JNIEnv* env, jobjectArray arr, const char* what) {
  StringArray out;
  if (arr == nullptr) return out;
  out.is_null = false;
  jsize n = env->GetArrayLength(arr);
  out.values.reserve(static_cast<size_t>(n));
  for (jsize i = 0; i < n; ++i) {
    auto s = static_cast<jstring>(env->GetObjectArrayElement(arr, i));
    pending_if_exception(env);
    std::string v = get_string(env, s, what);
    env->DeleteLocalRef(s);
    out.values.push_back(std::move(v));
  }
  for (auto& v : out.values) out.ptrs.push_back(v.c_str());
  return out;
}

jobjectArray new_string_array(JNIEnv* env, mx_uint n, const char** values) {
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(n), g_string, nullptr);
  pending_if_exception(env);
  for (mx_uint i = 0; i < n; ++i) {
    jstring s = new_string(env, values[i] != nullptr ? values[i] : "");
    env->SetObjectArrayElement(out, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return out;
}

void* to_handle(jlong h) { return reinterpret_cast<void*>(static_cast<intptr_t>(h)); }
jlong from_handle(const void* h) { return static_cast<jlong>(reinterpret_cast<intptr_t>(h)); }

// A long[] of handles (0 = NULL) as a vector of void*; a null array is an empty vector.
std::vector<void*> get_handles(JNIEnv* env, jlongArray arr) {
  std::vector<void*> out;
  if (arr == nullptr) return out;
  jsize n = env->GetArrayLength(arr);
  std::vector<jlong> raw(static_cast<size_t>(n));
  env->GetLongArrayRegion(arr, 0, n, raw.data());
  pending_if_exception(env);
  for (jlong h : raw) out.push_back(to_handle(h));
  return out;
}

std::vector<jint> get_ints(JNIEnv* env, jintArray arr) {
  std::vector<jint> out;
  if (arr == nullptr) return out;
  jsize n = env->GetArrayLength(arr);
  out.resize(static_cast<size_t>(n));
  env->GetIntArrayRegion(arr, 0, n, out.data());
  pending_if_exception(env);
  return out;
}

jlongArray new_long_array(JNIEnv* env, const std::vector<jlong>& v) {
  jlongArray out = env->NewLongArray(static_cast<jsize>(v.size()));
  pending_if_exception(env);
  env->SetLongArrayRegion(out, 0, static_cast<jsize>(v.size()), v.data());
  return out;
}

// As new_long_array, for results that carry freshly created handles (an executor and/or
// arrays): if the Java array cannot be made, those handles are released so nothing leaks.
jlongArray new_long_array_or_release(JNIEnv* env, const std::vector<jlong>& v, ExecutorHandle exec,
                                     const std::vector<void*>& arrays) {
  try {
    return new_long_array(env, v);
  } catch (const JavaPending&) {
    for (void* a : arrays) MXNDArrayFree(a);
    MXExecutorFree(exec);
    throw;
  }
}

template <typename T>
jintArray new_int_array(JNIEnv* env, size_t n, const T* data) {
  std::vector<jint> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<jint>(data[i]);
  jintArray out = env->NewIntArray(static_cast<jsize>(n));
  pending_if_exception(env);
  env->SetIntArrayRegion(out, 0, static_cast<jsize>(n), v.data());
  return out;
}

jobject box_boolean(JNIEnv* env, bool v) {
  jobject out = env->CallStaticObjectMethod(g_boolean, g_boolean_value_of,
                                            static_cast<jboolean>(v ? JNI_TRUE : JNI_FALSE));
  pending_if_exception(env);
  return out;
}

// int[][] from the (count, ndim[], data[][]) triples returned by shape inference.
jobjectArray new_shape_array(JNIEnv* env, mx_uint n, const mx_uint* ndim, const mx_uint** data) {
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(n), g_int_array, nullptr);
  pending_if_exception(env);
  for (mx_uint i = 0; i < n; ++i) {
    jintArray s = new_int_array(env, ndim[i], data[i]);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return out;
}

size_t dtype_size(JNIEnv* env, int dtype) {
  switch (dtype) {
    case 0:
    case 4:
      return 4;  // float32, int32
    case 1:
    case 6:
      return 8;  // float64, int64
    case 2:
    case 12:
      return 2;  // float16, bfloat16
    case 3:
    case 5:
    case 7:
      return 1;  // uint8, int8, bool
    default:
      break;
  }
  std::string msg = "unsupported dtype flag " + std::to_string(dtype);
  throw_new(env, g_illegal_argument, msg.c_str());
  return 0;
}

// Element count of an array, from its shape, to size host buffers before copying.
size_t element_count(JNIEnv* env, NDArrayHandle h) {
  int ndim = 0;
  const int* dims = nullptr;
  check(env, MXNDArrayGetShapeEx(h, &ndim, &dims));
  size_t n = 1;
  for (int i = 0; i < ndim; ++i) n *= dims[i] > 0 ? static_cast<size_t>(dims[i]) : 0;
  return n;
}

// Copies between a Java primitive array and an NDArray. The Java array is pinned only around
// the C call (no JNI call may happen while it is pinned), and its length must match the
// array's byte size exactly, so a wrong size is an exception, never an overrun.
void copy_host(JNIEnv* env, jlong handle, jarray host, size_t host_elem_bytes, bool to_device,
               int required_dtype) {
  if (host == nullptr) throw_new(env, g_npe, "data");
  NDArrayHandle h = to_handle(handle);
  int dtype = 0;
  check(env, MXNDArrayGetDType(h, &dtype));
  if (required_dtype >= 0 && dtype != required_dtype) {
    std::string msg =
        "host buffer type does not match the array's dtype flag " + std::to_string(dtype);
    throw_new(env, g_illegal_argument, msg.c_str());
  }
  size_t n = element_count(env, h);
  size_t bytes = n * dtype_size(env, dtype);
  size_t host_bytes = static_cast<size_t>(env->GetArrayLength(host)) * host_elem_bytes;
  if (host_bytes != bytes) {
    std::string msg = "host buffer holds " + std::to_string(host_bytes) +
                      " bytes but the array needs " + std::to_string(bytes);
    throw_new(env, g_illegal_argument, msg.c_str());
  }
  void* p = env->GetPrimitiveArrayCritical(host, nullptr);
  if (p == nullptr) {
    pending_if_exception(env);
    throw_new(env, g_oom, "could not pin a Java array");
  }
  int rc = to_device ? MXNDArraySyncCopyFromCPU(h, p, n) : MXNDArraySyncCopyToCPU(h, p, n);
  env->ReleasePrimitiveArrayCritical(host, p, to_device ? JNI_ABORT : 0);
  check(env, rc);
}

}  // namespace

extern "C" {

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_mxnet_error = global_class(env, "org/apache/mxnet/MXNetError");
  g_string = global_class(env, "java/lang/String");
  g_int_array = global_class(env, "[I");
  g_npe = global_class(env, "java/lang/NullPointerException");
  g_illegal_argument = global_class(env, "java/lang/IllegalArgumentException");
  g_oom = global_class(env, "java/lang/OutOfMemoryError");
  g_boolean = global_class(env, "java/lang/Boolean");
  g_object = global_class(env, "java/lang/Object");
  if (!g_mxnet_error || !g_string || !g_int_array || !g_npe || !g_illegal_argument || !g_oom ||
      !g_boolean || !g_object)
    return JNI_ERR;
  g_mxnet_error_ctor = env->GetMethodID(g_mxnet_error, "<init>", "(Ljava/lang/String;)V");
  g_boolean_value_of = env->GetStaticMethodID(g_boolean, "valueOf", "(Z)Ljava/lang/Boolean;");
  if (!g_mxnet_error_ctor || !g_boolean_value_of) return JNI_ERR;
  return JNI_VERSION_1_8;
}

#define LOOM_JNI(ret, name) JNIEXPORT ret JNICALL Java_org_apache_mxnet_LibInfo_##name

// ------------------------------------------------------------------ registry

LOOM_JNI(jint, mxGetVersion)(JNIEnv* env, jobject) {
  return guarded(env, jint{0}, [&] {
    int v = 0;
    check(env, MXGetVersion(&v));
    return static_cast<jint>(v);
  });
}

LOOM_JNI(jint, mxGetGPUCount)(JNIEnv* env, jobject) {
  return guarded(env, jint{0}, [&] {
    int v = 0;
    check(env, MXGetGPUCount(&v));
    return static_cast<jint>(v);
  });
}

LOOM_JNI(void, mxRandomSeed)(JNIEnv* env, jobject, jint seed) {
  guarded_void(env, [&] { check(env, MXRandomSeed(seed)); });
}

LOOM_JNI(jobjectArray, mxListAllOpNames)(JNIEnv* env, jobject) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** names = nullptr;
    check(env, MXListAllOpNames(&n, &names));
    return new_string_array(env, n, names);
  });
}

LOOM_JNI(jlongArray, mxSymbolListAtomicSymbolCreators)(JNIEnv* env, jobject) {
  return guarded(env, jlongArray{nullptr}, [&] {
    mx_uint n = 0;
    AtomicSymbolCreator* creators = nullptr;
    check(env, MXSymbolListAtomicSymbolCreators(&n, &creators));
    std::vector<jlong> v(n);
    for (mx_uint i = 0; i < n; ++i) v[i] = from_handle(creators[i]);
    return new_long_array(env, v);
  });
}

// Returns {name, description, keyVarNumArgs, returnType, argNames[], argTypes[], argDescs[]}.
LOOM_JNI(jlong, nnGetOpHandle)(JNIEnv* env, jobject, jstring name) {
  return guarded(env, jlong{0}, [&] {
    std::string n = get_string(env, name, "operator name");
    OpHandle op = nullptr;
    check(env, NNGetOpHandle(n.c_str(), &op));
    return from_handle(op);
  });
}

LOOM_JNI(jobjectArray, mxSymbolGetAtomicSymbolInfo)(JNIEnv* env, jobject, jlong creator) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    const char *name = nullptr, *desc = nullptr, *key_var = nullptr, *ret_type = nullptr;
    mx_uint n = 0;
    const char **names = nullptr, **types = nullptr, **descs = nullptr;
    check(env, MXSymbolGetAtomicSymbolInfo(to_handle(creator), &name, &desc, &n, &names, &types,
                                           &descs, &key_var, &ret_type));
    // Copy everything out before any further call could reuse the thread-local buffers.
    jobjectArray out = env->NewObjectArray(7, g_object, nullptr);
    pending_if_exception(env);
    const char* scalars[4] = {name, desc, key_var, ret_type};
    for (int i = 0; i < 4; ++i) {
      jstring s = new_string(env, scalars[i] != nullptr ? scalars[i] : "");
      env->SetObjectArrayElement(out, i, s);
      env->DeleteLocalRef(s);
    }
    const char** lists[3] = {names, types, descs};
    for (int i = 0; i < 3; ++i) {
      jobjectArray a = new_string_array(env, n, lists[i]);
      env->SetObjectArrayElement(out, 4 + i, a);
      env->DeleteLocalRef(a);
    }
    return out;
  });
}

// ------------------------------------------------------------------ symbols

LOOM_JNI(jlong, symCreateVariable)(JNIEnv* env, jobject, jstring name) {
  return guarded(env, jlong{0}, [&] {
    std::string n = get_string(env, name, "variable name");
    SymbolHandle out = nullptr;
    check(env, MXSymbolCreateVariable(n.c_str(), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symCreateAtomicSymbol)
(JNIEnv* env, jobject, jlong creator, jobjectArray keys, jobjectArray vals) {
  return guarded(env, jlong{0}, [&] {
    StringArray k = get_strings(env, keys, "parameter name");
    StringArray v = get_strings(env, vals, "parameter value");
    if (k.size() != v.size())
      throw_new(env, g_illegal_argument, "parameter keys and values differ in length");
    SymbolHandle out = nullptr;
    check(env, MXSymbolCreateAtomicSymbol(to_handle(creator), k.size(), k.data(), v.data(), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symCreateGroup)(JNIEnv* env, jobject, jlongArray symbols) {
  return guarded(env, jlong{0}, [&] {
    std::vector<void*> h = get_handles(env, symbols);
    SymbolHandle out = nullptr;
    check(env, MXSymbolCreateGroup(static_cast<mx_uint>(h.size()), h.data(), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symCreateFromJSON)(JNIEnv* env, jobject, jstring json) {
  return guarded(env, jlong{0}, [&] {
    std::string s = get_string(env, json, "json");
    SymbolHandle out = nullptr;
    check(env, MXSymbolCreateFromJSON(s.c_str(), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symCreateFromFile)(JNIEnv* env, jobject, jstring fname) {
  return guarded(env, jlong{0}, [&] {
    std::string s = get_string(env, fname, "file name");
    SymbolHandle out = nullptr;
    check(env, MXSymbolCreateFromFile(s.c_str(), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jstring, symSaveToJSON)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jstring{nullptr}, [&] {
    const char* json = nullptr;
    check(env, MXSymbolSaveToJSON(to_handle(sym), &json));
    return new_string(env, json != nullptr ? json : "");
  });
}

LOOM_JNI(void, symSaveToFile)(JNIEnv* env, jobject, jlong sym, jstring fname) {
  guarded_void(env, [&] {
    std::string s = get_string(env, fname, "file name");
    check(env, MXSymbolSaveToFile(to_handle(sym), s.c_str()));
  });
}

LOOM_JNI(void, symFree)(JNIEnv* env, jobject, jlong sym) {
  guarded_void(env, [&] { check(env, MXSymbolFree(to_handle(sym))); });
}

LOOM_JNI(jlong, symCopy)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jlong{0}, [&] {
    SymbolHandle out = nullptr;
    check(env, MXSymbolCopy(to_handle(sym), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jstring, symPrint)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jstring{nullptr}, [&] {
    const char* s = nullptr;
    check(env, MXSymbolPrint(to_handle(sym), &s));
    return new_string(env, s != nullptr ? s : "");
  });
}

// null when the symbol has no single name (grouped symbol).
LOOM_JNI(jstring, symGetName)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jstring{nullptr}, [&] {
    const char* s = nullptr;
    int success = 0;
    check(env, MXSymbolGetName(to_handle(sym), &s, &success));
    return success != 0 && s != nullptr ? new_string(env, s) : jstring{nullptr};
  });
}

// null when the attribute is absent.
LOOM_JNI(jstring, symGetAttr)(JNIEnv* env, jobject, jlong sym, jstring key) {
  return guarded(env, jstring{nullptr}, [&] {
    std::string k = get_string(env, key, "attribute name");
    const char* s = nullptr;
    int success = 0;
    check(env, MXSymbolGetAttr(to_handle(sym), k.c_str(), &s, &success));
    return success != 0 && s != nullptr ? new_string(env, s) : jstring{nullptr};
  });
}

LOOM_JNI(void, symSetAttr)(JNIEnv* env, jobject, jlong sym, jstring key, jstring value) {
  guarded_void(env, [&] {
    std::string k = get_string(env, key, "attribute name");
    std::string v = get_string(env, value, "attribute value");
    check(env, MXSymbolSetAttr(to_handle(sym), k.c_str(), v.c_str()));
  });
}

// Flat key, value pairs; recursive: "node$key" keys over the whole graph.
LOOM_JNI(jobjectArray, symListAttr)(JNIEnv* env, jobject, jlong sym, jboolean recursive) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** kv = nullptr;
    check(env, recursive ? MXSymbolListAttr(to_handle(sym), &n, &kv)
                         : MXSymbolListAttrShallow(to_handle(sym), &n, &kv));
    return new_string_array(env, 2 * n, kv);
  });
}

LOOM_JNI(jobjectArray, symListArguments)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** names = nullptr;
    check(env, MXSymbolListArguments(to_handle(sym), &n, &names));
    return new_string_array(env, n, names);
  });
}

LOOM_JNI(jobjectArray, symListOutputs)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** names = nullptr;
    check(env, MXSymbolListOutputs(to_handle(sym), &n, &names));
    return new_string_array(env, n, names);
  });
}

LOOM_JNI(jobjectArray, symListAuxiliaryStates)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** names = nullptr;
    check(env, MXSymbolListAuxiliaryStates(to_handle(sym), &n, &names));
    return new_string_array(env, n, names);
  });
}

LOOM_JNI(jint, symGetNumOutputs)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jint{0}, [&] {
    mx_uint n = 0;
    check(env, MXSymbolGetNumOutputs(to_handle(sym), &n));
    return static_cast<jint>(n);
  });
}

LOOM_JNI(jlong, symGetOutput)(JNIEnv* env, jobject, jlong sym, jint index) {
  return guarded(env, jlong{0}, [&] {
    if (index < 0) throw_new(env, g_illegal_argument, "output index must not be negative");
    SymbolHandle out = nullptr;
    check(env, MXSymbolGetOutput(to_handle(sym), static_cast<mx_uint>(index), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symGetInternals)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jlong{0}, [&] {
    SymbolHandle out = nullptr;
    check(env, MXSymbolGetInternals(to_handle(sym), &out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, symGetChildren)(JNIEnv* env, jobject, jlong sym) {
  return guarded(env, jlong{0}, [&] {
    SymbolHandle out = nullptr;
    check(env, MXSymbolGetChildren(to_handle(sym), &out));
    return from_handle(out);
  });
}

// option: 0 every variable, 1 arguments only, 2 auxiliary states only (graph order).
LOOM_JNI(jobjectArray, symListInputNames)(JNIEnv* env, jobject, jlong sym, jint option) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    mx_uint n = 0;
    const char** names = nullptr;
    check(env, NNSymbolListInputNames(to_handle(sym), option, &n, &names));
    return new_string_array(env, n, names);
  });
}

// A new symbol with one output per name in wrt: d(sum of the outputs)/d(argument).
LOOM_JNI(jlong, symGrad)(JNIEnv* env, jobject, jlong sym, jobjectArray wrt) {
  return guarded(env, jlong{0}, [&] {
    if (wrt == nullptr) throw_new(env, g_npe, "wrt");
    StringArray w = get_strings(env, wrt, "argument name");
    SymbolHandle out = nullptr;
    check(env, MXSymbolGrad(to_handle(sym), w.size(), w.data(), &out));
    return from_handle(out);
  });
}

// keys == null: positional composition.
LOOM_JNI(void, symCompose)
(JNIEnv* env, jobject, jlong sym, jstring name, jobjectArray keys, jlongArray args) {
  guarded_void(env, [&] {
    std::string n = name != nullptr ? get_string(env, name, "name") : std::string();
    StringArray k = get_strings(env, keys, "input name");
    std::vector<void*> a = get_handles(env, args);
    if (!k.is_null && k.size() != a.size())
      throw_new(env, g_illegal_argument, "input names and symbols differ in length");
    check(env, MXSymbolCompose(to_handle(sym), name != nullptr ? n.c_str() : nullptr,
                               static_cast<mx_uint>(a.size()), k.data(), a.data()));
  });
}

// shapes: one int[] per provided argument (keys == null: positional). Returns
// {int[][] args, int[][] outputs, int[][] aux, Boolean complete}; unknown dims are 0.
LOOM_JNI(jobjectArray, symInferShape)
(JNIEnv* env, jobject, jlong sym, jobjectArray keys, jobjectArray shapes, jboolean partial) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    if (shapes == nullptr) throw_new(env, g_npe, "shapes");
    StringArray k = get_strings(env, keys, "argument name");
    jsize n = env->GetArrayLength(shapes);
    if (!k.is_null && k.size() != static_cast<mx_uint>(n))
      throw_new(env, g_illegal_argument, "argument names and shapes differ in length");
    std::vector<mx_uint> ind_ptr{0};
    std::vector<mx_uint> data;
    for (jsize i = 0; i < n; ++i) {
      auto s = static_cast<jintArray>(env->GetObjectArrayElement(shapes, i));
      pending_if_exception(env);
      if (s == nullptr) throw_new(env, g_npe, "shape");
      std::vector<jint> dims = get_ints(env, s);
      env->DeleteLocalRef(s);
      for (jint d : dims) {
        if (d < 0) throw_new(env, g_illegal_argument, "shape dimensions must not be negative");
        data.push_back(static_cast<mx_uint>(d));
      }
      ind_ptr.push_back(static_cast<mx_uint>(data.size()));
    }
    mx_uint in_n = 0, out_n = 0, aux_n = 0;
    const mx_uint *in_ndim = nullptr, *out_ndim = nullptr, *aux_ndim = nullptr;
    const mx_uint **in_data = nullptr, **out_data = nullptr, **aux_data = nullptr;
    int complete = 0;
    auto infer = partial ? MXSymbolInferShapePartial : MXSymbolInferShape;
    check(env, infer(to_handle(sym), static_cast<mx_uint>(n), k.data(), ind_ptr.data(), data.data(),
                     &in_n, &in_ndim, &in_data, &out_n, &out_ndim, &out_data, &aux_n, &aux_ndim,
                     &aux_data, &complete));
    jobjectArray out = env->NewObjectArray(4, g_object, nullptr);
    pending_if_exception(env);
    jobjectArray parts[3] = {new_shape_array(env, in_n, in_ndim, in_data),
                             new_shape_array(env, out_n, out_ndim, out_data),
                             new_shape_array(env, aux_n, aux_ndim, aux_data)};
    for (int i = 0; i < 3; ++i) {
      env->SetObjectArrayElement(out, i, parts[i]);
      env->DeleteLocalRef(parts[i]);
    }
    jobject c = box_boolean(env, complete != 0);
    env->SetObjectArrayElement(out, 3, c);
    return out;
  });
}

// types: dtype flags (-1 unknown). Returns {int[] args, int[] outputs, int[] aux, Boolean
// complete}; -1 marks a dtype that could not be inferred.
LOOM_JNI(jobjectArray, symInferType)
(JNIEnv* env, jobject, jlong sym, jobjectArray keys, jintArray types, jboolean partial) {
  return guarded(env, jobjectArray{nullptr}, [&] {
    StringArray k = get_strings(env, keys, "argument name");
    std::vector<jint> t = get_ints(env, types);
    if (!k.is_null && k.size() != t.size())
      throw_new(env, g_illegal_argument, "argument names and types differ in length");
    std::vector<int> tv(t.begin(), t.end());
    mx_uint in_n = 0, out_n = 0, aux_n = 0;
    const int *in_t = nullptr, *out_t = nullptr, *aux_t = nullptr;
    int complete = 0;
    auto infer = partial ? MXSymbolInferTypePartial : MXSymbolInferType;
    check(env, infer(to_handle(sym), static_cast<mx_uint>(tv.size()), k.data(), tv.data(), &in_n,
                     &in_t, &out_n, &out_t, &aux_n, &aux_t, &complete));
    jobjectArray out = env->NewObjectArray(4, g_object, nullptr);
    pending_if_exception(env);
    jintArray parts[3] = {new_int_array(env, in_n, in_t), new_int_array(env, out_n, out_t),
                          new_int_array(env, aux_n, aux_t)};
    for (int i = 0; i < 3; ++i) {
      env->SetObjectArrayElement(out, i, parts[i]);
      env->DeleteLocalRef(parts[i]);
    }
    jobject c = box_boolean(env, complete != 0);
    env->SetObjectArrayElement(out, 3, c);
    return out;
  });
}

// ------------------------------------------------------------------ ndarrays

LOOM_JNI(jlong, ndCreateNone)(JNIEnv* env, jobject) {
  return guarded(env, jlong{0}, [&] {
    NDArrayHandle out = nullptr;
    check(env, MXNDArrayCreateNone(&out));
    return from_handle(out);
  });
}

LOOM_JNI(jlong, ndCreate)
(JNIEnv* env, jobject, jintArray shape, jint dev_type, jint dev_id, jboolean delay_alloc,
 jint dtype) {
  return guarded(env, jlong{0}, [&] {
    if (shape == nullptr) throw_new(env, g_npe, "shape");
    std::vector<jint> dims = get_ints(env, shape);
    std::vector<mx_uint> s;
    for (jint d : dims) {
      if (d < 0) throw_new(env, g_illegal_argument, "shape dimensions must not be negative");
      s.push_back(static_cast<mx_uint>(d));
    }
    NDArrayHandle out = nullptr;
    check(env, MXNDArrayCreateEx(s.data(), static_cast<mx_uint>(s.size()), dev_type, dev_id,
                                 delay_alloc ? 1 : 0, dtype, &out));
    return from_handle(out);
  });
}

// float[] fast path: only for float32 arrays.
LOOM_JNI(void, ndSyncCopyFromFloats)(JNIEnv* env, jobject, jlong h, jfloatArray data) {
  guarded_void(env, [&] { copy_host(env, h, data, sizeof(jfloat), true, 0); });
}

LOOM_JNI(void, ndSyncCopyToFloats)(JNIEnv* env, jobject, jlong h, jfloatArray data) {
  guarded_void(env, [&] { copy_host(env, h, data, sizeof(jfloat), false, 0); });
}

// byte[] path: raw little-endian element bytes of the array's own dtype.
LOOM_JNI(void, ndSyncCopyFromBytes)(JNIEnv* env, jobject, jlong h, jbyteArray data) {
  guarded_void(env, [&] { copy_host(env, h, data, 1, true, -1); });
}

LOOM_JNI(void, ndSyncCopyToBytes)(JNIEnv* env, jobject, jlong h, jbyteArray data) {
  guarded_void(env, [&] { copy_host(env, h, data, 1, false, -1); });
}

LOOM_JNI(jintArray, ndGetShape)(JNIEnv* env, jobject, jlong h) {
  return guarded(env, jintArray{nullptr}, [&] {
    int ndim = 0;
    const int* dims = nullptr;
    check(env, MXNDArrayGetShapeEx(to_handle(h), &ndim, &dims));
    return new_int_array(env, ndim > 0 ? static_cast<size_t>(ndim) : 0, dims);
  });
}

LOOM_JNI(jint, ndGetDType)(JNIEnv* env, jobject, jlong h) {
  return guarded(env, jint{0}, [&] {
    int dtype = 0;
    check(env, MXNDArrayGetDType(to_handle(h), &dtype));
    return static_cast<jint>(dtype);
  });
}

// {dev_type, dev_id}
LOOM_JNI(jintArray, ndGetContext)(JNIEnv* env, jobject, jlong h) {
  return guarded(env, jintArray{nullptr}, [&] {
    int ctx[2] = {0, 0};
    check(env, MXNDArrayGetContext(to_handle(h), &ctx[0], &ctx[1]));
    return new_int_array(env, 2, ctx);
  });
}

LOOM_JNI(void, ndWaitToRead)(JNIEnv* env, jobject, jlong h) {
  guarded_void(env, [&] { check(env, MXNDArrayWaitToRead(to_handle(h))); });
}

LOOM_JNI(void, ndWaitAll)(JNIEnv* env, jobject) {
  guarded_void(env, [&] { check(env, MXNDArrayWaitAll()); });
}

LOOM_JNI(void, ndFree)(JNIEnv* env, jobject, jlong h) {
  guarded_void(env, [&] { check(env, MXNDArrayFree(to_handle(h))); });
}

// ------------------------------------------------------------------ executors

LOOM_JNI(jlong, exBind)
(JNIEnv* env, jobject, jlong sym, jint dev_type, jint dev_id, jobjectArray g2c_keys,
 jintArray g2c_types, jintArray g2c_ids, jlongArray in_args, jlongArray arg_grads,
 jintArray grad_reqs, jlongArray aux_states, jlong shared_exec) {
  return guarded(env, jlong{0}, [&] {
    StringArray keys = get_strings(env, g2c_keys, "group name");
    std::vector<jint> types = get_ints(env, g2c_types);
    std::vector<jint> ids = get_ints(env, g2c_ids);
    if (types.size() != keys.size() || ids.size() != keys.size())
      throw_new(env, g_illegal_argument, "group2ctx arrays differ in length");
    std::vector<void*> args = get_handles(env, in_args);
    std::vector<void*> grads = get_handles(env, arg_grads);
    std::vector<jint> reqs_raw = get_ints(env, grad_reqs);
    if (grads.size() != args.size() || reqs_raw.size() != args.size())
      throw_new(env, g_illegal_argument, "arguments, gradients and grad_req differ in length");
    std::vector<mx_uint> reqs;
    for (jint r : reqs_raw) reqs.push_back(static_cast<mx_uint>(r));
    std::vector<void*> aux = get_handles(env, aux_states);
    std::vector<int> t(types.begin(), types.end()), d(ids.begin(), ids.end());
    ExecutorHandle out = nullptr;
    check(env, MXExecutorBindEX(to_handle(sym), dev_type, dev_id, keys.size(), keys.data(),
                                t.data(), d.data(), static_cast<mx_uint>(args.size()), args.data(),
                                grads.data(), reqs.data(), static_cast<mx_uint>(aux.size()),
                                aux.data(), to_handle(shared_exec), &out));
    return from_handle(out);
  });
}

// Returns {exec, n, in_args[n], arg_grads[n] (0 where none), m, aux[m]}.
LOOM_JNI(jlongArray, exSimpleBind)
(JNIEnv* env, jobject, jlong sym, jint dev_type, jint dev_id, jobjectArray g2c_keys,
 jintArray g2c_types, jintArray g2c_ids, jint req_len, jobjectArray req_names,
 jobjectArray req_types, jobjectArray shape_names, jintArray shape_data, jintArray shape_idx,
 jobjectArray dtype_names, jintArray dtypes, jlong shared_exec) {
  return guarded(env, jlongArray{nullptr}, [&] {
    StringArray keys = get_strings(env, g2c_keys, "group name");
    std::vector<jint> types = get_ints(env, g2c_types);
    std::vector<jint> ids = get_ints(env, g2c_ids);
    if (types.size() != keys.size() || ids.size() != keys.size())
      throw_new(env, g_illegal_argument, "group2ctx arrays differ in length");
    StringArray rn = get_strings(env, req_names, "grad_req name");
    StringArray rt = get_strings(env, req_types, "grad_req");
    if (req_len < 0 || (!rn.is_null && rn.size() < static_cast<mx_uint>(req_len)) ||
        (!rt.is_null && rt.size() < std::max<mx_uint>(1, static_cast<mx_uint>(req_len))))
      throw_new(env, g_illegal_argument, "grad_req arrays are shorter than their length");
    StringArray sn = get_strings(env, shape_names, "argument name");
    std::vector<jint> sd = get_ints(env, shape_data);
    std::vector<jint> si_raw = get_ints(env, shape_idx);
    if (si_raw.size() != sn.size() + 1 || si_raw.front() != 0 ||
        static_cast<size_t>(si_raw.back()) != sd.size())
      throw_new(env, g_illegal_argument, "shape offsets do not match the shape data");
    for (size_t i = 1; i < si_raw.size(); ++i)
      if (si_raw[i] < si_raw[i - 1])
        throw_new(env, g_illegal_argument, "shape offsets must not decrease");
    std::vector<mx_uint> si(si_raw.begin(), si_raw.end());
    std::vector<int> sdv(sd.begin(), sd.end());
    StringArray dn = get_strings(env, dtype_names, "argument name");
    std::vector<jint> dt_raw = get_ints(env, dtypes);
    if (dt_raw.size() != dn.size())
      throw_new(env, g_illegal_argument, "dtype names and flags differ in length");
    std::vector<int> dt(dt_raw.begin(), dt_raw.end());
    std::vector<int> t(types.begin(), types.end()), d(ids.begin(), ids.end());
    int shared_buffer_len = -1;
    const char** updated_names = nullptr;
    NDArrayHandle* updated_handles = nullptr;
    mx_uint num_in = 0, num_aux = 0;
    NDArrayHandle *in_args = nullptr, *arg_grads = nullptr, *aux = nullptr;
    ExecutorHandle out = nullptr;
    check(env, MXExecutorSimpleBindEx(
                   to_handle(sym), dev_type, dev_id, keys.size(), keys.data(), t.data(), d.data(),
                   static_cast<mx_uint>(req_len), rn.data(), rt.data(), sn.size(), sn.data(),
                   sdv.data(), si.data(), dn.size(), dn.data(), dt.data(), 0, nullptr, nullptr, 0,
                   nullptr, &shared_buffer_len, nullptr, nullptr, &updated_names, &updated_handles,
                   &num_in, &in_args, &arg_grads, &num_aux, &aux, to_handle(shared_exec), &out));
    std::vector<jlong> v;
    v.push_back(from_handle(out));
    v.push_back(num_in);
    for (mx_uint i = 0; i < num_in; ++i) v.push_back(from_handle(in_args[i]));
    for (mx_uint i = 0; i < num_in; ++i) v.push_back(from_handle(arg_grads[i]));
    v.push_back(num_aux);
    for (mx_uint i = 0; i < num_aux; ++i) v.push_back(from_handle(aux[i]));
    std::vector<void*> made(in_args, in_args + num_in);
    for (mx_uint i = 0; i < num_in; ++i)
      if (arg_grads[i] != nullptr) made.push_back(arg_grads[i]);
    made.insert(made.end(), aux, aux + num_aux);
    return new_long_array_or_release(env, v, out, made);
  });
}

LOOM_JNI(void, exForward)(JNIEnv* env, jobject, jlong h, jboolean is_train) {
  guarded_void(env, [&] { check(env, MXExecutorForward(to_handle(h), is_train ? 1 : 0)); });
}

// head_grads entries may be 0 (NULL) where the backward graph does not read them.
LOOM_JNI(void, exBackward)
(JNIEnv* env, jobject, jlong h, jlongArray head_grads, jboolean is_train) {
  guarded_void(env, [&] {
    std::vector<void*> g = get_handles(env, head_grads);
    check(env, MXExecutorBackwardEx(to_handle(h), static_cast<mx_uint>(g.size()),
                                    g.empty() ? nullptr : g.data(), is_train ? 1 : 0));
  });
}

LOOM_JNI(jlongArray, exOutputs)(JNIEnv* env, jobject, jlong h) {
  return guarded(env, jlongArray{nullptr}, [&] {
    mx_uint n = 0;
    NDArrayHandle* outs = nullptr;
    check(env, MXExecutorOutputs(to_handle(h), &n, &outs));
    std::vector<jlong> v(n);
    for (mx_uint i = 0; i < n; ++i) v[i] = from_handle(outs[i]);
    return new_long_array_or_release(env, v, nullptr, std::vector<void*>(outs, outs + n));
  });
}

LOOM_JNI(jstring, exPrint)(JNIEnv* env, jobject, jlong h) {
  return guarded(env, jstring{nullptr}, [&] {
    const char* s = nullptr;
    check(env, MXExecutorPrint(to_handle(h), &s));
    return new_string(env, s != nullptr ? s : "");
  });
}

LOOM_JNI(void, exFree)(JNIEnv* env, jobject, jlong h) {
  guarded_void(env, [&] { check(env, MXExecutorFree(to_handle(h))); });
}

}  // extern "C"
