#include "core/base/error.h"
#include "core/graph/symbol.h"
#include "core/pass/passes.h"

namespace loom {

namespace {

template <class T, class CountFn, class InferFn, class FallbackFn>
int infer_attr(const IndexedGraph& g, std::vector<T>* attrs, CountFn count_unknown,
               InferFn infer, FallbackFn fallback) {
  auto& v = *attrs;
  for (uint32_t nid : g.input_nodes()) {
    uint32_t eid = g.entry_id(nid, 0);
    fallback(*g[nid].node, &v[eid]);
  }
  auto total_unknown = [&] {
    int n = 0;
    for (const auto& a : v) n += count_unknown(a);
    return n;
  };
  auto visit = [&](uint32_t nid) {
    const auto& info = g[nid];
    const Node& node = *info.node;
    if (node.is_variable()) return;
    std::vector<T> in, out;
    for (uint32_t e : info.input_entries) in.push_back(v[e]);
    uint32_t first = g.entry_id(nid, 0);
    int n_out = node.num_outputs();
    for (int i = 0; i < n_out; ++i) out.push_back(v[first + i]);
    try {
      infer(node, &in, &out);
    } catch (const Error& e) {
      std::string msg = e.what();
      if (msg.rfind("Error in operator", 0) == 0) throw;
      throw Error("Error in operator " + node.name() + ": " + msg, e.kind());
    }
    for (size_t i = 0; i < in.size(); ++i) v[info.input_entries[i]] = in[i];
    for (int i = 0; i < n_out; ++i) v[first + i] = out[i];
  };
  int last = total_unknown();
  while (true) {
    for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) visit(nid);
    for (uint32_t nid = static_cast<uint32_t>(g.num_nodes()); nid-- > 0;) visit(nid);
    int now = total_unknown();
    if (now == 0 || now >= last) return now;
    last = now;
  }
}

}  // namespace

int infer_shapes(const IndexedGraph& g, std::vector<Shape>* shapes) {
  return infer_attr(
      g, shapes, [](const Shape& s) { return s.unknown_count(); },
      [](const Node& node, ShapeVec* in, ShapeVec* out) {
        const Op& op = *node.op();
        if (op.infer_shape) op.infer_shape(node.attrs, in, out);
      },
      [](const Node& var, Shape* s) {
        if (s->known()) return;
        auto it = var.attrs.dict.find("__shape__");
        if (it == var.attrs.dict.end()) return;
        Shape attr = parse_shape(it->second);
        if (attr.ndim_known())
          for (int i = 0; i < attr.ndim(); ++i)
            if (attr[i] == 0) attr[i] = -1;  // legacy: 0 means unknown
        try {
          assign_shape(s, attr);
        } catch (const Error& e) {
          fail("Variable ", var.name(), ": ", e.what(), " (from its __shape__ attribute)");
        }
      });
}

int infer_types(const IndexedGraph& g, std::vector<int>* types) {
  return infer_attr(
      g, types, [](int t) { return t < 0 ? 1 : 0; },
      [](const Node& node, TypeVec* in, TypeVec* out) {
        node.op()->run_infer_type(node.attrs, in, out);
      },
      [](const Node& var, int* t) {
        if (*t >= 0) return;
        auto it = var.attrs.dict.find("__dtype__");
        if (it != var.attrs.dict.end()) *t = static_cast<int>(parse_int(it->second));
      });
}

namespace {

// Places the given per-input values onto the graph's variable entries.
template <class T>
void seed_inputs(const Symbol& s, const IndexedGraph& g, const std::vector<std::string>& keys,
                 const std::vector<T>& given, std::vector<T>* values) {
  auto args = s.input_nodes(Symbol::InputKind::kArguments);
  auto aux = s.input_nodes(Symbol::InputKind::kAuxStates);
  auto entry_of = [&](const NodePtr& n) { return g.entry_id(g.node_id(n.get()), 0); };
  if (keys.empty()) {
    if (given.size() > args.size())
      fail_value("infer: ", given.size(), " positional inputs given but the symbol has ",
                 args.size(), " arguments");
    for (size_t i = 0; i < given.size(); ++i) (*values)[entry_of(args[i])] = given[i];
    return;
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    bool found = false;
    for (const auto* group : {&args, &aux})
      for (const auto& n : *group)
        if (n->name() == keys[k]) {
          (*values)[entry_of(n)] = given[k];
          found = true;
        }
    if (!found) {
      std::string cand;
      for (const auto& n : args) cand += (cand.empty() ? "" : ", ") + n->name();
      fail_value("Keyword argument name ", keys[k], " not found.\nCandidate arguments:\n\t[",
                 cand, "]");
    }
  }
}

template <class T, class Out>
void collect(const Symbol& s, const IndexedGraph& g, const std::vector<T>& v, Out* out) {
  auto entry_of = [&](const NodePtr& n) { return g.entry_id(g.node_id(n.get()), 0); };
  for (const auto& n : s.input_nodes(Symbol::InputKind::kArguments)) out->args.push_back(v[entry_of(n)]);
  for (const auto& n : s.input_nodes(Symbol::InputKind::kAuxStates)) out->aux.push_back(v[entry_of(n)]);
  for (const auto& e : s.outputs) out->outputs.push_back(v[g.entry_id(e)]);
}

}  // namespace

SymbolShapes infer_symbol_shapes(const Symbol& s, const std::vector<std::string>& keys,
                                 const std::vector<Shape>& given) {
  IndexedGraph g(s.outputs);
  std::vector<Shape> shapes(g.num_entries());
  seed_inputs(s, g, keys, given, &shapes);
  SymbolShapes r;
  infer_shapes(g, &shapes);
  collect(s, g, shapes, &r);
  r.complete = true;
  for (const auto* group : {&r.args, &r.outputs, &r.aux})
    for (const auto& x : *group) r.complete &= x.known();
  return r;
}

SymbolTypes infer_symbol_types(const Symbol& s, const std::vector<std::string>& keys,
                               const std::vector<int>& given) {
  IndexedGraph g(s.outputs);
  std::vector<int> types(g.num_entries(), -1);
  seed_inputs(s, g, keys, given, &types);
  SymbolTypes r;
  infer_types(g, &types);
  collect(s, g, types, &r);
  r.complete = true;
  for (const auto* group : {&r.args, &r.outputs, &r.aux})
    for (int x : *group) r.complete &= x >= 0;
  return r;
}

}  // namespace loom
