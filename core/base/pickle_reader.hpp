// A pickle reader that never executes code: the protocol 0-5 opcodes build a plain object tree
// (pickle_value.hpp). It also reads the legacy torch.save stream (a magic number, then pickles,
// then the raw storages), which is what torch pickles each storage as inside a network pickle.
// Everything is bounded: a truncated, oversized or hostile input is an lw::Error naming the
// byte offset, never a crash, and nothing it names is imported or called.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "core/base/pickle_value.hpp"

namespace lw::pickle {

struct ReadOptions {
  std::size_t max_stack = std::size_t{1} << 20;   // values on the machine's stack and marks
  // Real network files hold tens of thousands of values (a StyleGAN2 snapshot with G, D and
  // G_ema: 20,000). A value takes about 230 bytes and a copied reference 8, so with storages
  // capped at the file's own size (the document's budgets) a hostile file costs at most
  // about 0.6 GB beyond its size.
  std::size_t max_memo = std::size_t{1} << 21;    // memo entries
  std::size_t max_values = std::size_t{1} << 21;  // values in the whole document
  std::size_t max_copied_items = std::size_t{1} << 24;  // references copied between containers
  int max_nested_streams = 4;                     // torch.save streams inside a pickle
  // Called now and then with bytes read so far and the total (the outer stream only).
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Reads one pickle starting at `pos` and returns its value; `pos` ends just past STOP.
const Value* read_pickle(Document& doc, std::string_view bytes, std::size_t& pos, const ReadOptions& options,
                         int nesting = 0);

// Reads a whole stream (the outermost call, nesting 0, sets the document's budgets: storages may
// hold no more bytes than the stream has): a legacy torch.save stream (its storages loaded from its tail) or one
// plain pickle. Storages named by a torch.save zip's persistent ids stay unloaded
// (Storage::loaded false) for the caller to fill from the archive's records.
const Value* read_stream(Document& doc, std::string_view bytes, const ReadOptions& options, int nesting = 0);

}  // namespace lw::pickle
