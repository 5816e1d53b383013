// MXNet 1.9.1 JSON for symbols. The writer reproduces dmlc's JSONWriter byte for byte (2-space
// indent, ", " line endings, short arrays and small string maps on one line, no trailing
// newline); the reader accepts every 1.x file, rejects unknown keys like MXNet does, and
// applies the legacy upgrades (hidden keys, missing auxiliary inputs of pre-0.9 files).
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/base/error.h"
#include "core/graph/symbol.h"

namespace loom {

namespace {

constexpr int kMXNetVersion = 10901;

std::string quote(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\r': r += "\\r"; break;
      case '\t': r += "\\t"; break;
      default: r += c;
    }
  }
  return r + "\"";
}

// A multi-line scope writer: elements separated by ", " + newline + indent.
class Writer {
 public:
  std::string out;
  void begin(char open) {
    out += open;
    ++depth_;
    first_.push_back(true);
  }
  void end(char close) {
    --depth_;
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out += close;
  }
  void item() {
    if (!first_.back()) out += ", ";
    first_.back() = false;
    newline();
  }
  void key(const std::string& k) {
    item();
    out += quote(k) + ": ";
  }

 private:
  void newline() {
    out += '\n';
    out.append(2 * depth_, ' ');
  }
  int depth_ = 0;
  std::vector<bool> first_;
};

std::string entry_text(uint32_t node, uint32_t index, uint32_t version) {
  return cat("[", node, ", ", index, ", ", version, "]");
}

// Arrays of PODs: one line up to 10 elements, else one element per line.
void write_pod_array(Writer& w, const std::vector<std::string>& items) {
  if (items.empty()) {
    w.out += "[]";
    return;
  }
  if (items.size() <= 10) {
    w.out += "[";
    for (size_t i = 0; i < items.size(); ++i) w.out += (i ? ", " : "") + items[i];
    w.out += "]";
    return;
  }
  w.begin('[');
  for (const auto& s : items) {
    w.item();
    w.out += s;
  }
  w.end(']');
}

void write_string_map(Writer& w, const AttrDict& m) {
  if (m.size() <= 1) {
    w.out += "{";
    for (const auto& [k, v] : m) w.out += quote(k) + ": " + quote(v);
    w.out += "}";
    return;
  }
  w.begin('{');
  for (const auto& [k, v] : m) {
    w.key(k);
    w.out += quote(v);
  }
  w.end('}');
}

}  // namespace

std::string Symbol::to_json() const {
  IndexedGraph g(outputs);
  Writer w;
  w.begin('{');
  w.key("nodes");
  w.begin('[');
  std::vector<std::string> arg_nodes, row_ptr, heads;
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    const Node& n = *g[nid].node;
    w.item();
    w.begin('{');
    w.key("op");
    w.out += quote(n.is_variable() ? "null" : n.op()->name);
    w.key("name");
    w.out += quote(n.name());
    if (!n.attrs.dict.empty()) {
      w.key("attrs");
      write_string_map(w, n.attrs.dict);
    }
    w.key("inputs");
    std::vector<std::string> ins;
    for (const auto& e : n.inputs) ins.push_back(entry_text(g.node_id(e.node.get()), e.index, e.version));
    write_pod_array(w, ins);
    if (!n.control_deps.empty()) {
      w.key("control_deps");
      std::vector<std::string> deps;
      for (const auto& d : n.control_deps) deps.push_back(std::to_string(g.node_id(d.get())));
      write_pod_array(w, deps);
    }
    w.end('}');
    if (n.is_variable()) arg_nodes.push_back(std::to_string(nid));
  }
  w.end(']');
  for (uint32_t v : g.row_ptr()) row_ptr.push_back(std::to_string(v));
  for (const auto& e : outputs) heads.push_back(entry_text(g.node_id(e.node.get()), e.index, e.version));
  w.key("arg_nodes");
  write_pod_array(w, arg_nodes);
  w.key("node_row_ptr");
  write_pod_array(w, row_ptr);
  w.key("heads");
  write_pod_array(w, heads);
  w.key("attrs");
  w.out += cat("{\"mxnet_version\": [\"int\", ", kMXNetVersion, "]}");
  w.end('}');
  return w.out;
}

namespace {

using rapidjson::Value;

const Value& member(const Value& obj, const char* key, const char* where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) fail("Invalid symbol JSON: ", where, " lacks required field \"", key, "\"");
  return it->value;
}

uint32_t as_uint(const Value& v, const char* what) {
  if (!v.IsUint()) fail("Invalid symbol JSON: ", what, " must be a non-negative integer");
  return v.GetUint();
}

void read_string_map(const Value& v, AttrDict* out, const std::string& node) {
  if (!v.IsObject()) fail("Invalid symbol JSON: attributes of node ", node, " must be an object");
  out->clear();
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (!it->value.IsString())
      fail("Invalid symbol JSON: attribute ", it->name.GetString(), " of node ", node,
           " must be a string");
    (*out)[it->name.GetString()] = it->value.GetString();
  }
}

int file_version(const Value& doc) {
  auto it = doc.FindMember("attrs");
  if (it == doc.MemberEnd()) return 800;
  if (!it->value.IsObject()) fail("Invalid symbol JSON: \"attrs\" must be an object");
  for (auto a = it->value.MemberBegin(); a != it->value.MemberEnd(); ++a) {
    const Value& any = a->value;
    if (!any.IsArray() || any.Size() != 2 || !any[0].IsString())
      fail("Invalid symbol JSON: graph attribute ", a->name.GetString(),
           " must be [type_name, value]");
    std::string type = any[0].GetString();
    if (type != "int" && type != "str" && type != "list_int" && type != "list_str")
      fail("Invalid symbol JSON: unknown attribute type ", type);
    if (std::string(a->name.GetString()) == "mxnet_version") {
      if (!any[1].IsInt()) fail("Invalid symbol JSON: mxnet_version must be an integer");
      return any[1].GetInt();
    }
  }
  return 800;
}

// Files older than 1.9.1 may hold hidden keys without underscores ("lr_mult"), or per-input
// forms ("weight_lr_mult") on op nodes: move them where 1.9.1 keeps them. As in MXNet, the op's
// parameters are parsed without those keys first, so input names are known; a per-input key
// whose input is not a variable stays (and then fails to parse, as in MXNet).
void fix_hidden_keys(const NodePtr& n) {
  auto hidden_of = [](const std::string& k, bool* exact) -> const std::string* {
    for (const auto& h : hidden_keys()) {
      *exact = k == h;
      bool suffix = k.size() > h.size() + 1 &&
                    k.compare(k.size() - h.size() - 1, h.size() + 1, "_" + h) == 0;
      if (*exact || suffix) return &h;
    }
    return nullptr;
  };
  AttrDict stashed;
  for (auto it = n->attrs.dict.begin(); it != n->attrs.dict.end();) {
    bool exact = false;
    if (hidden_of(it->first, &exact)) {
      stashed.insert(*it);
      it = n->attrs.dict.erase(it);
    } else {
      ++it;
    }
  }
  if (stashed.empty()) return;
  std::vector<std::string> names;
  if (!n->is_variable()) {
    n->attrs.parse();
    names = n->op()->list_input_names(n->attrs);
  }
  for (const auto& [k, v] : stashed) {
    bool exact = false;
    const std::string& h = *hidden_of(k, &exact);
    if (exact) {
      n->attrs.dict["__" + h + "__"] = v;
      continue;
    }
    std::string arg = k.substr(0, k.size() - h.size() - 1);
    bool moved = false;
    for (size_t i = 0; i < names.size() && i < n->inputs.size(); ++i)
      if (names[i] == arg && n->inputs[i].node->is_variable()) {
        n->inputs[i].node->attrs.dict["__" + h + "__"] = v;
        moved = true;
      }
    if (!moved) n->attrs.dict[k] = v;
  }
}

}  // namespace

Symbol Symbol::from_json(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError())
    fail("Invalid symbol JSON: ", rapidjson::GetParseError_En(doc.GetParseError()), " at offset ",
         doc.GetErrorOffset());
  if (!doc.IsObject()) fail("Invalid symbol JSON: the top level must be an object");
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string k = it->name.GetString();
    if (k != "nodes" && k != "arg_nodes" && k != "node_row_ptr" && k != "heads" && k != "attrs")
      fail("JSONReader: Unknown field ", k, " in the symbol JSON");
  }
  const int version = file_version(doc);
  const Value& jnodes = member(doc, "nodes", "the graph");
  if (!jnodes.IsArray()) fail("Invalid symbol JSON: \"nodes\" must be an array");
  std::vector<NodePtr> nodes;
  for (rapidjson::SizeType i = 0; i < jnodes.Size(); ++i) {
    const Value& jn = jnodes[i];
    if (!jn.IsObject()) fail("Invalid symbol JSON: node ", i, " must be an object");
    for (auto it = jn.MemberBegin(); it != jn.MemberEnd(); ++it) {
      std::string k = it->name.GetString();
      if (k != "op" && k != "name" && k != "inputs" && k != "attrs" && k != "attr" &&
          k != "param" && k != "control_deps" && k != "subgraphs" && k != "backward_source_id")
        fail("JSONReader: Unknown field ", k, " in node ", i);
    }
    const Value& jop = member(jn, "op", "a node");
    const Value& jname = member(jn, "name", "a node");
    if (!jop.IsString() || !jname.IsString())
      fail("Invalid symbol JSON: node ", i, " needs string \"op\" and \"name\"");
    auto n = std::make_shared<Node>();
    n->attrs.name = jname.GetString();
    std::string op = jop.GetString();
    if (op != "null") {
      n->attrs.op = OpRegistry::get().find(op);
      if (!n->attrs.op)
        fail("Failed loading Op ", n->attrs.name, " of type ", op,
             ": Operator is not registered");
    }
    // attrs/attr: the later one wins entirely; param entries are added without overriding
    for (auto it = jn.MemberBegin(); it != jn.MemberEnd(); ++it) {
      std::string k = it->name.GetString();
      if (k == "attrs" || k == "attr") read_string_map(it->value, &n->attrs.dict, n->attrs.name);
    }
    if (jn.HasMember("param")) {
      AttrDict param;
      read_string_map(jn["param"], &param, n->attrs.name);
      n->attrs.dict.insert(param.begin(), param.end());
    }
    if (jn.HasMember("subgraphs") && jn["subgraphs"].IsArray() && jn["subgraphs"].Size() > 0)
      fail("Node ", n->attrs.name, ": subgraphs (control-flow operators) are not supported yet");
    const Value& jin = member(jn, "inputs", "a node");
    if (!jin.IsArray()) fail("Invalid symbol JSON: inputs of node ", n->attrs.name, " must be an array");
    for (rapidjson::SizeType j = 0; j < jin.Size(); ++j) {
      const Value& e = jin[j];
      if (!e.IsArray() || (e.Size() != 2 && e.Size() != 3))
        fail("Invalid symbol JSON: input ", j, " of node ", n->attrs.name,
             " must be [node, index] or [node, index, version]");
      uint32_t src = as_uint(e[0], "an input node id");
      if (src >= nodes.size())
        fail("Invalid symbol JSON: node ", n->attrs.name, " refers to node ", src,
             " which does not precede it");
      uint32_t idx = as_uint(e[1], "an input index");
      uint32_t ver = e.Size() == 3 ? as_uint(e[2], "an input version") : 0;
      n->inputs.push_back(NodeEntry{nodes[src], idx, ver});
    }
    if (jn.HasMember("control_deps")) {
      const Value& jd = jn["control_deps"];
      if (!jd.IsArray()) fail("Invalid symbol JSON: control_deps must be an array");
      for (const auto& d : jd.GetArray()) {
        uint32_t src = as_uint(d, "a control dependency");
        if (src >= nodes.size()) fail("Invalid symbol JSON: control dependency ", src, " out of range");
        n->control_deps.push_back(nodes[src]);
      }
    }
    nodes.push_back(n);
  }
  const Value& jargs = member(doc, "arg_nodes", "the graph");
  if (!jargs.IsArray()) fail("Invalid symbol JSON: \"arg_nodes\" must be an array");
  for (const auto& a : jargs.GetArray()) {
    uint32_t id = as_uint(a, "an arg_nodes entry");
    if (id >= nodes.size() || !nodes[id]->is_variable())
      fail("Invalid symbol JSON: arg_nodes entry ", id, " is not a variable node");
  }
  // Legacy upgrades, then parameter parsing (which checks every op's parameters).
  for (size_t i = 0; i < nodes.size(); ++i) {
    NodePtr& n = nodes[i];
    if (n->is_variable()) {
      if (version < kMXNetVersion) fix_hidden_keys(n);
      continue;
    }
    try {
      if (version < kMXNetVersion) fix_hidden_keys(n);
      n->attrs.parse();
    } catch (const Error& e) {
      fail("Failed loading Op ", n->attrs.name, " of type ", n->op()->name, ": ", e.what());
    }
    for (const auto& e : n->inputs)
      if (e.index >= static_cast<uint32_t>(e.node->num_outputs()))
        fail("Invalid symbol JSON: node ", n->attrs.name, " reads output ", e.index, " of ",
             e.node->attrs.name, " which has ", e.node->num_outputs(), " outputs");
    if (version < 900) {
      auto names = n->op()->list_input_names(n->attrs);
      for (size_t k = n->inputs.size(); k < names.size(); ++k) {
        NodePtr v = Node::variable(n->attrs.name + "_" + names[k]);
        v->attrs.dict = n->attrs.dict;
        n->inputs.push_back(NodeEntry{v, 0, 0});
      }
    }
    if (version < 904) apply_input_var_attrs(n);
    if (static_cast<int>(n->inputs.size()) != n->num_inputs())
      fail("Invalid symbol JSON: operator ", n->attrs.name, " (", n->op()->name, ") has ",
           n->inputs.size(), " inputs, expected ", n->num_inputs());
  }
  const Value& jheads = member(doc, "heads", "the graph");
  if (!jheads.IsArray()) fail("Invalid symbol JSON: \"heads\" must be an array");
  Symbol s;
  for (const auto& h : jheads.GetArray()) {
    if (!h.IsArray() || (h.Size() != 2 && h.Size() != 3))
      fail("Invalid symbol JSON: heads entries must be [node, index, version]");
    uint32_t id = as_uint(h[0], "a head node id");
    if (id >= nodes.size()) fail("Invalid symbol JSON: head node ", id, " out of range");
    uint32_t idx = as_uint(h[1], "a head index");
    if (idx >= static_cast<uint32_t>(nodes[id]->num_outputs()))
      fail("Invalid symbol JSON: head refers to output ", idx, " of ", nodes[id]->attrs.name);
    s.outputs.push_back(NodeEntry{nodes[id], idx, h.Size() == 3 ? as_uint(h[2], "a version") : 0});
  }
  // Variables restart at version 0, except those mutated by an op (their entries say which).
  for (auto& n : nodes)
    for (auto& e : n->inputs)
      if (e.node->is_variable()) e.node->var_version = std::max(e.node->var_version, e.version);
  return s;
}

}  // namespace loom
