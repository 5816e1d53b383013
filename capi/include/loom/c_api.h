/*
 * Loom C API: the one public header of the Loom engine.
 *
 * Names, signatures and semantics follow Apache MXNet 1.9.1's c_api.h for every function Loom
 * offers that MXNet had, so C clients written against MXNet compile unchanged. Loom's own
 * additions are marked "Loom extension".
 *
 * Conventions (all functions):
 *  - Return 0 on success and -1 on failure; MXGetLastError() then returns the message of the
 *    last failure on the calling thread. On failure no out-parameter is written and nothing
 *    leaks. Nothing aborts or throws across this boundary.
 *  - Handles are opaque. Every handle a function creates is owned by the caller and released
 *    with the matching *Free function; every *Free accepts NULL.
 *  - Strings and arrays returned through `const char**`, `const char***`, `const T**` or
 *    handle-array out-parameters are owned by Loom, stored per thread, and stay valid until the
 *    next call of a Loom function on the same thread. Copy them if you need them longer.
 *    Handles returned inside such arrays are new handles owned by the caller (see each call).
 *  - Shapes: in the uint32 (legacy) variants an unknown dimension is reported as 0 and an
 *    unknown shape as ndim 0; in the *Ex variants ndim -1 means unknown and a dim of -1 means
 *    an unknown dimension.
 *  - Device types: 1 cpu, 2 gpu, 3 cpu_pinned. dtype flags: 0 float32, 1 float64, 2 float16,
 *    3 uint8, 4 int32, 5 int8, 6 int64, 7 bool, 12 bfloat16. grad_req codes: 0 null,
 *    1 write, 3 add.
 *  - Distinct handles may be used from distinct threads at once; one handle is used by one
 *    thread at a time.
 *
 * A complete example (error checks shortened to CHECK):
 *
 *   #define CHECK(x) if ((x) != 0) { fprintf(stderr, "%s\n", MXGetLastError()); exit(1); }
 *   SymbolHandle data, fc;
 *   AtomicSymbolCreator *ops; mx_uint n_ops; const char *name;
 *   CHECK(MXSymbolCreateVariable("data", &data));
 *   CHECK(MXSymbolListAtomicSymbolCreators(&n_ops, &ops));
 *   for (mx_uint i = 0; i < n_ops; ++i) {          // find FullyConnected
 *     CHECK(MXSymbolGetAtomicSymbolName(ops[i], &name));
 *     if (strcmp(name, "FullyConnected") == 0) {
 *       const char *k[] = {"num_hidden"}, *v[] = {"2"};
 *       CHECK(MXSymbolCreateAtomicSymbol(ops[i], 1, k, v, &fc));
 *     }
 *   }
 *   const char *in_key[] = {"data"};
 *   CHECK(MXSymbolCompose(fc, "fc1", 1, in_key, &data));   // fc1_weight, fc1_bias created
 *   // bind: data (1,3), fc1_weight (2,3), fc1_bias (2,)
 *   mx_uint s0[] = {1, 3}, s1[] = {2, 3}, s2[] = {2};
 *   NDArrayHandle args[3];
 *   CHECK(MXNDArrayCreateEx(s0, 2, 1, 0, 0, 0, &args[0]));
 *   CHECK(MXNDArrayCreateEx(s1, 2, 1, 0, 0, 0, &args[1]));
 *   CHECK(MXNDArrayCreateEx(s2, 1, 1, 0, 0, 0, &args[2]));
 *   float x[3] = {1, 2, 3}, w[6] = {1, 0, 0, 0, 1, 0}, b[2] = {0.5f, 0};
 *   CHECK(MXNDArraySyncCopyFromCPU(args[0], x, 3));
 *   CHECK(MXNDArraySyncCopyFromCPU(args[1], w, 6));
 *   CHECK(MXNDArraySyncCopyFromCPU(args[2], b, 2));
 *   NDArrayHandle grads[3] = {NULL, NULL, NULL};
 *   mx_uint reqs[3] = {0, 0, 0};
 *   ExecutorHandle ex;
 *   CHECK(MXExecutorBindEX(fc, 1, 0, 0, NULL, NULL, NULL, 3, args, grads, reqs, 0, NULL,
 *                          NULL, &ex));
 *   CHECK(MXExecutorForward(ex, 0));
 *   mx_uint n_out; NDArrayHandle *outs; float y[2];
 *   CHECK(MXExecutorOutputs(ex, &n_out, &outs));
 *   CHECK(MXNDArraySyncCopyToCPU(outs[0], y, 2));          // y = {1.5, 2}
 *   MXNDArrayFree(outs[0]); MXExecutorFree(ex);
 *   for (int i = 0; i < 3; ++i) MXNDArrayFree(args[i]);
 *   MXSymbolFree(fc); MXSymbolFree(data);
 */
#ifndef LOOM_C_API_H_
#define LOOM_C_API_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MXNET_DLL __declspec(dllexport)
#else
#define MXNET_DLL __attribute__((visibility("default")))
#endif

typedef uint32_t mx_uint;
typedef float mx_float;
typedef int64_t dim_t;
/*! An n-dimensional array. */
typedef void *NDArrayHandle;
/*! A registered operator; valid for the life of the process, never freed. */
typedef void *AtomicSymbolCreator;
/*! A symbol: an ordered list of graph outputs. */
typedef void *SymbolHandle;
/*! A bound executor. */
typedef void *ExecutorHandle;
/*! A registered operator (nnvm's name for AtomicSymbolCreator). */
typedef void *OpHandle;

/* ------------------------------------------------------------------ errors and registry */

/*!
 * Message of the last failure on this thread ("" if none). Owned by Loom; valid until the next
 * failing call on this thread. Messages start with the error kind when it is not a generic
 * error, e.g. "ValueError: ...".
 */
MXNET_DLL const char *MXGetLastError(void);

/*! Version of the MXNet API Loom implements: 10901. */
MXNET_DLL int MXGetVersion(int *out);

/*! Number of usable GPUs; 0 when CUDA support is not built or no GPU/driver is present. */
MXNET_DLL int MXGetGPUCount(int *out);

/*! Seeds every random number generator Loom uses. */
MXNET_DLL int MXRandomSeed(int seed);

/*! Names of all registered operators, aliases included. Thread-local array. */
MXNET_DLL int MXListAllOpNames(mx_uint *out_size, const char ***out_array);

/*! One creator per registered operator (aliases not repeated). Thread-local array. */
MXNET_DLL int MXSymbolListAtomicSymbolCreators(mx_uint *out_size,
                                               AtomicSymbolCreator **out_array);

/*! The operator registered under `op_name` (canonical name or alias). Valid for the process. */
MXNET_DLL int NNGetOpHandle(const char *op_name, OpHandle *op_out);

/*! Canonical name of an operator. Static string, valid for the life of the process. */
MXNET_DLL int MXSymbolGetAtomicSymbolName(AtomicSymbolCreator creator, const char **name);

/*!
 * Describes an operator for code generation: the arguments are its data inputs (type string
 * "NDArray-or-Symbol", "NDArray-or-Symbol[]" for variadic ops) followed by its parameters (type
 * strings such as "int, required" or "boolean, optional, default=0"). key_var_num_args names the
 * parameter that counts variadic inputs ("" if none). All strings are static. return_type may
 * be NULL.
 */
MXNET_DLL int MXSymbolGetAtomicSymbolInfo(AtomicSymbolCreator creator, const char **name,
                                          const char **description, mx_uint *num_args,
                                          const char ***arg_names,
                                          const char ***arg_type_infos,
                                          const char ***arg_descriptions,
                                          const char **key_var_num_args,
                                          const char **return_type);

/* ------------------------------------------------------------------ symbols */

/*! Creates a variable (argument) symbol. */
MXNET_DLL int MXSymbolCreateVariable(const char *name, SymbolHandle *out);

/*!
 * Creates an operator symbol with no inputs yet (compose it with MXSymbolCompose). Parameters
 * are parsed and checked now; keys starting with ctx_group, lr_mult, wd_mult,
 * force_mirroring or mirror_stage are stored as __key__.
 */
MXNET_DLL int MXSymbolCreateAtomicSymbol(AtomicSymbolCreator creator, mx_uint num_param,
                                         const char **keys, const char **vals,
                                         SymbolHandle *out);

/*! Groups the outputs of several symbols into one symbol. The inputs stay owned by the caller. */
MXNET_DLL int MXSymbolCreateGroup(mx_uint num_symbols, SymbolHandle *symbols,
                                  SymbolHandle *out);

/*! Loads a symbol from MXNet JSON text. */
MXNET_DLL int MXSymbolCreateFromJSON(const char *json, SymbolHandle *out);

/*! Loads a symbol from an MXNet JSON file. */
MXNET_DLL int MXSymbolCreateFromFile(const char *fname, SymbolHandle *out);

/*! Writes the symbol as MXNet 1.9.1 JSON. Thread-local string. */
MXNET_DLL int MXSymbolSaveToJSON(SymbolHandle symbol, const char **out_json);

/*! Writes the symbol's JSON to a file. */
MXNET_DLL int MXSymbolSaveToFile(SymbolHandle symbol, const char *fname);

/*! Releases a symbol handle (the graph lives while other symbols refer to it). NULL is fine. */
MXNET_DLL int MXSymbolFree(SymbolHandle symbol);

/*! Deep copy of the symbol's graph. */
MXNET_DLL int MXSymbolCopy(SymbolHandle symbol, SymbolHandle *out);

/*! Human-readable description of the graph (MXNet's Symbol::Print format). Thread-local string. */
MXNET_DLL int MXSymbolPrint(SymbolHandle symbol, const char **out_str);

/*! Name of a single-output symbol; success=0 (and *out NULL) for a grouped symbol. */
MXNET_DLL int MXSymbolGetName(SymbolHandle symbol, const char **out, int *success);

/*! Attribute of a single-node symbol; success=0 when absent. Thread-local string. */
MXNET_DLL int MXSymbolGetAttr(SymbolHandle symbol, const char *key, const char **out,
                              int *success);

/*! Sets an attribute on the symbol's node (hidden keys are stored as __key__). */
MXNET_DLL int MXSymbolSetAttr(SymbolHandle symbol, const char *key, const char *value);

/*! Attributes of every node, as 2*out_size strings "node$key", value. Thread-local array. */
MXNET_DLL int MXSymbolListAttr(SymbolHandle symbol, mx_uint *out_size, const char ***out);

/*! Attributes of the head node, as 2*out_size strings key, value. Thread-local array. */
MXNET_DLL int MXSymbolListAttrShallow(SymbolHandle symbol, mx_uint *out_size,
                                      const char ***out);

/*! Argument names in graph order (auxiliary states excluded). Thread-local array. */
MXNET_DLL int MXSymbolListArguments(SymbolHandle symbol, mx_uint *out_size,
                                    const char ***out_str_array);

/*! Output names ("fc1_output", ...). Thread-local array. */
MXNET_DLL int MXSymbolListOutputs(SymbolHandle symbol, mx_uint *out_size,
                                  const char ***out_str_array);

/*! Auxiliary state names in graph order. Thread-local array. */
MXNET_DLL int MXSymbolListAuxiliaryStates(SymbolHandle symbol, mx_uint *out_size,
                                          const char ***out_str_array);

/*! Number of outputs. */
MXNET_DLL int MXSymbolGetNumOutputs(SymbolHandle symbol, mx_uint *output_count);

/*! A new symbol holding output `index`. */
MXNET_DLL int MXSymbolGetOutput(SymbolHandle symbol, mx_uint index, SymbolHandle *out);

/*! A new grouped symbol with every variable and every visible op output of the graph. */
MXNET_DLL int MXSymbolGetInternals(SymbolHandle symbol, SymbolHandle *out);

/*!
 * Names of the graph's variables: option 0 all inputs, 1 arguments only (read-only inputs),
 * 2 auxiliary states only. Thread-local array.
 */
MXNET_DLL int NNSymbolListInputNames(SymbolHandle symbol, int option, mx_uint *out_size,
                                     const char ***out_str_array);

/*!
 * One new symbol per variable of the graph (all inputs, graph order). *inputs is a thread-local
 * array of new handles owned by the caller.
 */
MXNET_DLL int MXSymbolGetInputSymbols(SymbolHandle sym, SymbolHandle **inputs, int *input_size);

/*!
 * The gradient of the symbol (the sum of its outputs; loss outputs contribute their own
 * gradient) with respect to the arguments named in wrt, as a new symbol with one output per
 * name. MXNet declares this function but never implemented it; Loom does. The result can be
 * bound, saved and differentiated again.
 */
MXNET_DLL int MXSymbolGrad(SymbolHandle sym, mx_uint num_wrt, const char **wrt,
                           SymbolHandle *out);

/*! A copy of the symbol without amp_cast/amp_multicast nodes (Loom has none: a plain copy). */
MXNET_DLL int MXSymbolRemoveAmpCast(SymbolHandle sym_handle, SymbolHandle *ret_sym_handle);

/*! A new handle to the same graph (no copy). */
MXNET_DLL int MXShallowCopySymbol(SymbolHandle src, SymbolHandle *out);

/*! A new grouped symbol with the inputs of the head node(s). */
MXNET_DLL int MXSymbolGetChildren(SymbolHandle symbol, SymbolHandle *out);

/*!
 * Composes `sym` in place with the given inputs. keys == NULL: positional. An operator
 * symbol's missing inputs are created as variables named "<name>_<input>". A composed
 * (non-atomic) symbol accepts keyword arguments only and replaces the variables so named.
 */
MXNET_DLL int MXSymbolCompose(SymbolHandle sym, const char *name, mx_uint num_args,
                              const char **keys, SymbolHandle *args);

/*!
 * Infers shapes. Inputs: num_args shapes, named by keys (NULL: positional, in
 * list_arguments order), in CSR form (arg_ind_ptr has num_args+1 offsets into arg_shape_data);
 * a 0 dim is unknown. Outputs: per argument/output/auxiliary state the ndim and a pointer to
 * the dims (thread-local). complete=1 when every shape is known. Inconsistent shapes fail with
 * "Error in operator <name>: Shape inconsistent, Provided=(..), inferred shape=(..)".
 */
MXNET_DLL int MXSymbolInferShape(SymbolHandle sym, mx_uint num_args, const char **keys,
                                 const mx_uint *arg_ind_ptr, const mx_uint *arg_shape_data,
                                 mx_uint *in_shape_size, const mx_uint **in_shape_ndim,
                                 const mx_uint ***in_shape_data, mx_uint *out_shape_size,
                                 const mx_uint **out_shape_ndim,
                                 const mx_uint ***out_shape_data, mx_uint *aux_shape_size,
                                 const mx_uint **aux_shape_ndim,
                                 const mx_uint ***aux_shape_data, int *complete);

/*! As MXSymbolInferShape, but missing information is not an error. */
MXNET_DLL int MXSymbolInferShapePartial(SymbolHandle sym, mx_uint num_args, const char **keys,
                                        const mx_uint *arg_ind_ptr,
                                        const mx_uint *arg_shape_data, mx_uint *in_shape_size,
                                        const mx_uint **in_shape_ndim,
                                        const mx_uint ***in_shape_data,
                                        mx_uint *out_shape_size, const mx_uint **out_shape_ndim,
                                        const mx_uint ***out_shape_data,
                                        mx_uint *aux_shape_size, const mx_uint **aux_shape_ndim,
                                        const mx_uint ***aux_shape_data, int *complete);

/*! As MXSymbolInferShape with int dims: ndim -1 / dim -1 mean unknown on input and output. */
MXNET_DLL int MXSymbolInferShapeEx(SymbolHandle sym, mx_uint num_args, const char **keys,
                                   const mx_uint *arg_ind_ptr, const int *arg_shape_data,
                                   mx_uint *in_shape_size, const int **in_shape_ndim,
                                   const int ***in_shape_data, mx_uint *out_shape_size,
                                   const int **out_shape_ndim, const int ***out_shape_data,
                                   mx_uint *aux_shape_size, const int **aux_shape_ndim,
                                   const int ***aux_shape_data, int *complete);

/*!
 * Infers dtypes from num_args dtype flags (-1 unknown) named by keys (NULL: positional).
 * Outputs one flag per argument/output/auxiliary state (-1 unknown), thread-local arrays.
 */
MXNET_DLL int MXSymbolInferType(SymbolHandle sym, mx_uint num_args, const char **keys,
                                const int *arg_type_data, mx_uint *in_type_size,
                                const int **in_type_data, mx_uint *out_type_size,
                                const int **out_type_data, mx_uint *aux_type_size,
                                const int **aux_type_data, int *complete);

/*! As MXSymbolInferType, but missing information is not an error. */
MXNET_DLL int MXSymbolInferTypePartial(SymbolHandle sym, mx_uint num_args, const char **keys,
                                       const int *arg_type_data, mx_uint *in_type_size,
                                       const int **in_type_data, mx_uint *out_type_size,
                                       const int **out_type_data, mx_uint *aux_type_size,
                                       const int **aux_type_data, int *complete);

/*! As MXSymbolInferShapeEx, but missing information is not an error. */
MXNET_DLL int MXSymbolInferShapePartialEx(SymbolHandle sym, mx_uint num_args, const char **keys,
                                          const mx_uint *arg_ind_ptr, const int *arg_shape_data,
                                          mx_uint *in_shape_size, const int **in_shape_ndim,
                                          const int ***in_shape_data, mx_uint *out_shape_size,
                                          const int **out_shape_ndim, const int ***out_shape_data,
                                          mx_uint *aux_shape_size, const int **aux_shape_ndim,
                                          const int ***aux_shape_data, int *complete);

/* ------------------------------------------------------------------ ndarrays */

/*! Creates a zero-size placeholder array. */
MXNET_DLL int MXNDArrayCreateNone(NDArrayHandle *out);

/*! Creates a float32 array (contents unspecified). delay_alloc is accepted and ignored. */
MXNET_DLL int MXNDArrayCreate(const mx_uint *shape, mx_uint ndim, int dev_type, int dev_id,
                              int delay_alloc, NDArrayHandle *out);

/*! Creates an array of the given dtype flag (contents unspecified). */
MXNET_DLL int MXNDArrayCreateEx(const mx_uint *shape, mx_uint ndim, int dev_type, int dev_id,
                                int delay_alloc, int dtype, NDArrayHandle *out);

/*! Copies `size` elements (must equal the array's element count) from host memory. */
MXNET_DLL int MXNDArraySyncCopyFromCPU(NDArrayHandle handle, const void *data, size_t size);

/*! Copies `size` elements (must equal the array's element count) to host memory. */
MXNET_DLL int MXNDArraySyncCopyToCPU(NDArrayHandle handle, void *data, size_t size);

/*! Shape as uint32 dims. Thread-local array. */
MXNET_DLL int MXNDArrayGetShape(NDArrayHandle handle, mx_uint *out_dim,
                                const mx_uint **out_pdata);

/*! Shape as int dims. Thread-local array. */
MXNET_DLL int MXNDArrayGetShapeEx(NDArrayHandle handle, int *out_dim, const int **out_pdata);

/*! dtype flag of the array. */
MXNET_DLL int MXNDArrayGetDType(NDArrayHandle handle, int *out_dtype);

/*! Device of the array. */
MXNET_DLL int MXNDArrayGetContext(NDArrayHandle handle, int *out_dev_type, int *out_dev_id);

/*!
 * Pointer to the array's first element; for a CPU array it stays valid while any handle to the
 * array's storage lives. For a GPU array it is a device pointer.
 */
MXNET_DLL int MXNDArrayGetData(NDArrayHandle handle, void **out_pdata);

/*! Waits until pending writes to the array are done (execution is synchronous; GPU syncs). */
MXNET_DLL int MXNDArrayWaitToRead(NDArrayHandle handle);

/*! Waits for all pending work on every device. */
MXNET_DLL int MXNDArrayWaitAll(void);

/*! Releases an array handle; its storage lives while other handles or executors use it. */
MXNET_DLL int MXNDArrayFree(NDArrayHandle handle);

/*! As MXNDArrayCreateEx with int64 dims (ndim >= 0). */
MXNET_DLL int MXNDArrayCreateEx64(const int64_t *shape, int ndim, int dev_type, int dev_id,
                                  int delay_alloc, int dtype, NDArrayHandle *out);

/*! Shape as int64 dims (ndim -1 for a none array). Thread-local array. */
MXNET_DLL int MXNDArrayGetShapeEx64(NDArrayHandle handle, int *out_dim,
                                    const int64_t **out_pdata);

/*! Storage type: 0 (default, dense) for every Loom array, -1 for a none array. */
MXNET_DLL int MXNDArrayGetStorageType(NDArrayHandle handle, int *out_storage_type);

/*! Same as MXNDArrayWaitToRead (execution is synchronous). */
MXNET_DLL int MXNDArrayWaitToWrite(NDArrayHandle handle);

/*!
 * Copies the values of handle_src into handle_dst (same shape and dtype, any devices).
 * i must be -1 (the data; dense arrays have no auxiliary arrays).
 */
MXNET_DLL int MXNDArraySyncCopyFromNDArray(NDArrayHandle handle_dst,
                                           const NDArrayHandle handle_src, const int i);

/*!
 * Rows [slice_begin, slice_end) of axis 0 as a new handle to a view sharing the memory of
 * `handle` (writes through the view change the original). The caller frees *out.
 */
MXNET_DLL int MXNDArraySlice(NDArrayHandle handle, uint32_t slice_begin, uint32_t slice_end,
                             NDArrayHandle *out);
MXNET_DLL int MXNDArraySlice64(NDArrayHandle handle, int64_t slice_begin, int64_t slice_end,
                               NDArrayHandle *out);

/*! Row `idx` of axis 0 as a view (shape[1:], or (1,) for a 1-D array). The caller frees *out. */
MXNET_DLL int MXNDArrayAt(NDArrayHandle handle, uint32_t idx, NDArrayHandle *out);
MXNET_DLL int MXNDArrayAt64(NDArrayHandle handle, int64_t idx, NDArrayHandle *out);

/*!
 * A view with another shape and the same elements. dims may use Reshape's special values
 * 0 (copy dim), -1 (infer), -2 (copy the rest), -3 (merge two), -4 (split one); `reverse`
 * applies them from the right. The caller frees *out.
 */
MXNET_DLL int MXNDArrayReshape(NDArrayHandle handle, int ndim, int *dims, NDArrayHandle *out);
MXNET_DLL int MXNDArrayReshape64(NDArrayHandle handle, int ndim, dim_t *dims, bool reverse,
                                 NDArrayHandle *out);

/*!
 * Writes arrays to `fname` in MXNet's binary NDArray list format (the .params format, V2
 * records), byte-identical to MXNet 1.9.1. keys is NULL (list form) or num_args names (dict
 * form).
 */
MXNET_DLL int MXNDArraySave(const char *fname, uint32_t num_args, NDArrayHandle *args,
                            const char **keys);

/*!
 * Reads a file written by MXNDArraySave or MXNet (V1/V2 records, legacy pre-V1 records too).
 * *out_arr holds *out_size new handles the caller frees; *out_names holds *out_name_size names
 * (0 for the list form). Both arrays are thread-local. Corrupt or truncated files fail cleanly.
 */
MXNET_DLL int MXNDArrayLoad(const char *fname, uint32_t *out_size, NDArrayHandle **out_arr,
                            uint32_t *out_name_size, const char ***out_names);

/*! As MXNDArrayLoad, from `size` bytes in memory. */
MXNET_DLL int MXNDArrayLoadFromBuffer(const void *ndarray_buffer, size_t size,
                                      uint32_t *out_size, NDArrayHandle **out_arr,
                                      uint32_t *out_name_size, const char ***out_names);

/*! One array as a single binary record (thread-local buffer of *out_size bytes). */
MXNET_DLL int MXNDArraySaveRawBytes(NDArrayHandle handle, size_t *out_size, const char **out_buf);

/*! An array from a record written by MXNDArraySaveRawBytes. The caller frees *out. */
MXNET_DLL int MXNDArrayLoadFromRawBytes(const void *buf, size_t size, NDArrayHandle *out);

/*!
 * DLPack: a DLManagedTensor* (dlpack.h ABI, DLPack 0.x layout) as an opaque handle.
 * MXNDArrayToDLPack exports a tensor sharing the array's memory; whoever ends up owning it
 * calls its deleter once (MXNDArrayCallDLPackDeleter does that). The array's storage lives
 * until then.
 */
typedef void *DLManagedTensorHandle;
MXNET_DLL int MXNDArrayToDLPack(NDArrayHandle handle, DLManagedTensorHandle *out_dlpack);

/*!
 * An array sharing the memory of a DLPack tensor (compact row-major only, or an error). Loom
 * takes ownership: the tensor's deleter runs when the last user of the memory lets go. Same as
 * MXNDArrayFromDLPackEx with transient_handle = false.
 */
MXNET_DLL int MXNDArrayFromDLPack(DLManagedTensorHandle dlpack, NDArrayHandle *out_handle);
/*!
 * transient_handle: when true Loom does not take ownership (the caller keeps the tensor alive
 * while the array is used and calls the deleter itself).
 */
MXNET_DLL int MXNDArrayFromDLPackEx(DLManagedTensorHandle dlpack, const bool transient_handle,
                                    NDArrayHandle *out_handle);

/*! Calls the deleter of a DLPack tensor (NULL is fine). */
MXNET_DLL int MXNDArrayCallDLPackDeleter(DLManagedTensorHandle dlpack);

/*!
 * Runs one operator now on arrays. inputs: num_inputs handles. If *outputs is NULL, outputs
 * are allocated: *num_outputs gets the number of visible outputs and *outputs a thread-local
 * array of new handles the caller frees. Otherwise *outputs holds *num_outputs handles (one per
 * visible output, or per output) written in place (a none array is allocated into); the array
 * pointer is left unchanged. Parameters are strings as in MXSymbolCreateAtomicSymbol; a `ctx`
 * parameter ("cpu(0)") places operators that have no inputs.
 */
MXNET_DLL int MXImperativeInvoke(AtomicSymbolCreator creator, int num_inputs,
                                 NDArrayHandle *inputs, int *num_outputs, NDArrayHandle **outputs,
                                 int num_params, const char **param_keys,
                                 const char **param_vals);

/*! As MXImperativeInvoke; *out_stypes (thread-local) gets each output's storage type (0). */
MXNET_DLL int MXImperativeInvokeEx(AtomicSymbolCreator creator, int num_inputs,
                                   NDArrayHandle *inputs, int *num_outputs,
                                   NDArrayHandle **outputs, int num_params,
                                   const char **param_keys, const char **param_vals,
                                   const int **out_stypes);

/*! Loom extension: as MXImperativeInvoke with is_train (Dropout, BatchNorm) and add_to (1:
 * outputs are accumulated into, MXNet's kAddTo). */
MXNET_DLL int MXImperativeInvokeLoom(AtomicSymbolCreator creator, int num_inputs,
                                     NDArrayHandle *inputs, int *num_outputs,
                                     NDArrayHandle **outputs, int num_params,
                                     const char **param_keys, const char **param_vals,
                                     int is_train, int add_to);

/* ------------------------------------------------------------------ executors */

/*!
 * Binds a symbol to arrays. in_args, arg_grad_store and grad_req_type have `len` entries in
 * list_arguments order; aux_states has one per auxiliary state. The arrays are used by
 * reference, not copied, and must live as long as the executor. A NULL arg_grad_store[i] means
 * no gradient for that argument. map_keys/map_dev_types/map_dev_ids (group2ctx: ctx_group name
 * -> device) may be empty; then every array must be on (dev_type, dev_id); otherwise nodes run
 * on their group's device and copies are inserted where edges cross devices. shared_exec (may
 * be NULL) lends its internal memory pool: the two executors must not run interleaved.
 * Inconsistent shapes fail naming the operator and both shapes.
 */
MXNET_DLL int MXExecutorBindEX(SymbolHandle symbol_handle, int dev_type, int dev_id,
                               mx_uint num_map_keys, const char **map_keys,
                               const int *map_dev_types, const int *map_dev_ids, mx_uint len,
                               NDArrayHandle *in_args, NDArrayHandle *arg_grad_store,
                               mx_uint *grad_req_type, mx_uint aux_states_len,
                               NDArrayHandle *aux_states, ExecutorHandle shared_exec,
                               ExecutorHandle *out);

/*!
 * Infers shapes and dtypes from the given ones, allocates zero-filled arguments, gradients
 * (where grad_req is not null) and auxiliary states, and binds. grad_req encoding:
 * provided_grad_req_list_len 0 with names NULL and types non-NULL: types[0] for all; len > 0
 * with names NULL: one per argument; len > 0 with names: by name (others null). Shapes in CSR
 * form (provided_arg_shape_idx has num_provided_arg_shapes+1 offsets). *shared_buffer_len -1
 * means no shared buffer; otherwise arguments not named in shared_arg_name_list reuse the
 * buffer's array of their name ("grad of <name>" for gradients) as a view when it is large
 * enough, else get a new one, and *updated_shared_buffer_name_list / _handle_list return the
 * whole updated buffer (*shared_buffer_len entries, thread-local, new handles owned by the
 * caller). Arguments named in shared_arg_name_list take shared_exec's argument and gradient
 * arrays (shapes and dtypes must match), and aux states are shared_exec's; shared_exec also
 * lends its memory pool. The returned arrays in_args (num_in_args), arg_grads (NULL where
 * req is null) and aux_states are thread-local arrays of new handles owned by the caller.
 */
MXNET_DLL int MXExecutorSimpleBindEx(
    SymbolHandle symbol_handle, int dev_type, int dev_id, const mx_uint num_g2c_keys,
    const char **g2c_keys, const int *g2c_dev_types, const int *g2c_dev_ids,
    const mx_uint provided_grad_req_list_len, const char **provided_grad_req_names,
    const char **provided_grad_req_types, const mx_uint num_provided_arg_shapes,
    const char **provided_arg_shape_names, const int *provided_arg_shape_data,
    const mx_uint *provided_arg_shape_idx, const mx_uint num_provided_arg_dtypes,
    const char **provided_arg_dtype_names, const int *provided_arg_dtypes,
    const mx_uint num_provided_arg_stypes, const char **provided_arg_stype_names,
    const int *provided_arg_stypes, const mx_uint num_shared_arg_names,
    const char **shared_arg_name_list, int *shared_buffer_len,
    const char **shared_buffer_name_list, NDArrayHandle *shared_buffer_handle_list,
    const char ***updated_shared_buffer_name_list,
    NDArrayHandle **updated_shared_buffer_handle_list, mx_uint *num_in_args,
    NDArrayHandle **in_args, NDArrayHandle **arg_grads, mx_uint *num_aux_states,
    NDArrayHandle **aux_states, ExecutorHandle shared_exec_handle, ExecutorHandle *out);

/*! Runs the forward pass; is_train selects training behaviour of the operators. */
MXNET_DLL int MXExecutorForward(ExecutorHandle handle, int is_train);

/*! Runs the backward pass (is_train=1). head_grads: one per output, or len 0 for loss graphs. */
MXNET_DLL int MXExecutorBackward(ExecutorHandle handle, mx_uint len, NDArrayHandle *head_grads);

/*!
 * Runs the backward pass. A head gradient is required only for outputs whose gradient the
 * backward graph reads; entries may be NULL otherwise.
 */
MXNET_DLL int MXExecutorBackwardEx(ExecutorHandle handle, mx_uint len,
                                   NDArrayHandle *head_grads, int is_train);

/*!
 * The executor's outputs: a thread-local array of new handles owned by the caller (free each),
 * aliasing the executor's output memory, which the next forward overwrites.
 */
MXNET_DLL int MXExecutorOutputs(ExecutorHandle handle, mx_uint *out_size, NDArrayHandle **out);

/*! Description of the bound graph and its planned memory. Thread-local string. */
MXNET_DLL int MXExecutorPrint(ExecutorHandle handle, const char **out_str);

/*! Releases an executor. NULL is fine. */
MXNET_DLL int MXExecutorFree(ExecutorHandle handle);

/*! MXExecutorBindEX without group2ctx and shared_exec. */
MXNET_DLL int MXExecutorBind(SymbolHandle symbol_handle, int dev_type, int dev_id, mx_uint len,
                             NDArrayHandle *in_args, NDArrayHandle *arg_grad_store,
                             mx_uint *grad_req_type, mx_uint aux_states_len,
                             NDArrayHandle *aux_states, ExecutorHandle *out);

/*! MXExecutorBindEX without shared_exec. */
MXNET_DLL int MXExecutorBindX(SymbolHandle symbol_handle, int dev_type, int dev_id,
                              mx_uint num_map_keys, const char **map_keys,
                              const int *map_dev_types, const int *map_dev_ids, mx_uint len,
                              NDArrayHandle *in_args, NDArrayHandle *arg_grad_store,
                              mx_uint *grad_req_type, mx_uint aux_states_len,
                              NDArrayHandle *aux_states, ExecutorHandle *out);

/*!
 * A new executor for new input shapes (CSR like MXExecutorSimpleBindEx) sharing the memory
 * pool of shared_exec, the executor being reshaped (required). Arguments/aux states whose
 * size does not grow are views of shared_exec's arrays; a changed shape of an array not named
 * needs partial_shaping, a larger one allow_up_sizing (then a new zero-filled array). Returned
 * arrays: thread-local arrays of new handles owned by the caller (arg_grads NULL where none).
 */
MXNET_DLL int MXExecutorReshapeEx(int partial_shaping, int allow_up_sizing, int dev_type,
                                  int dev_id, mx_uint num_map_keys, const char **map_keys,
                                  const int *map_dev_types, const int *map_dev_ids,
                                  const mx_uint num_provided_arg_shapes,
                                  const char **provided_arg_shape_names,
                                  const int *provided_arg_shape_data,
                                  const mx_uint *provided_arg_shape_idx, mx_uint *num_in_args,
                                  NDArrayHandle **in_args, NDArrayHandle **arg_grads,
                                  mx_uint *num_aux_states, NDArrayHandle **aux_states,
                                  ExecutorHandle shared_exec, ExecutorHandle *out);

/*!
 * Monitor: callback(name, array, callback_handle) runs after each operator for each output
 * ("<node>_output"), and with monitor_all also before it for each input. The array handle is
 * new and owned by the callee (free it with MXNDArrayFree); name is valid during the call.
 * callback NULL switches monitoring off.
 */
typedef void (*ExecutorMonitorCallback)(const char *, NDArrayHandle, void *);
MXNET_DLL int MXExecutorSetMonitorCallback(ExecutorHandle handle,
                                           ExecutorMonitorCallback callback,
                                           void *callback_handle);
MXNET_DLL int MXExecutorSetMonitorCallbackEX(ExecutorHandle handle,
                                             ExecutorMonitorCallback callback,
                                             void *callback_handle, bool monitor_all);

/*! The bound symbol (a new handle the caller frees). */
MXNET_DLL int MXExecutorGetOptimizedSymbol(ExecutorHandle handle, SymbolHandle *out);

/*!
 * Loom extension. Bytes of internal memory the executor's plan uses (what MXExecutorPrint
 * reports as "Total N MB allocated") and the bytes it newly allocated (less when it reuses a
 * shared executor's pool). Either pointer may be NULL.
 */
MXNET_DLL int MXExecutorGetMemoryInfo(ExecutorHandle handle, uint64_t *planned_bytes,
                                      uint64_t *allocated_bytes);

#ifdef __cplusplus
}
#endif

#endif  // LOOM_C_API_H_
