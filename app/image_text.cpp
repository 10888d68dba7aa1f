#include "app/image_text.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/base/check.hpp"

namespace lw::app {

namespace {

constexpr const char* kFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// UTF-8 to code points; a malformed byte becomes U+FFFD rather than an error (labels come from
// file names and direction names).
std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int extra = lead < 0x80 ? 0 : (lead >> 5) == 0x6 ? 1 : (lead >> 4) == 0xE ? 2 : (lead >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= text.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = extra == 0 ? lead : lead & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      ok = ok && (next >> 6) == 0x2;
      c = (c << 6) | (next & 0x3F);
    }
    out.push_back(ok ? c : 0xFFFD);
    i += ok ? static_cast<std::size_t>(extra) + 1 : 1;
  }
  return out;
}

}  // namespace

struct ImageText::Face {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  ~Face() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
  // Loads one glyph into face->glyph, rendered to 8-bit coverage when `render` (a character the
  // font lacks loads its .notdef box); false when FreeType fails.
  bool load(char32_t c, bool render) const {
    if (FT_Load_Char(face, c, render ? FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL : FT_LOAD_DEFAULT) != 0) return false;
    return !render || face->glyph->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY;
  }
};

ImageText::ImageText(int pixel_size) : face_(std::make_unique<Face>()) {
  LW_CHECK(FT_Init_FreeType(&face_->library) == 0, "FreeType did not start");
  LW_EXPECT(FT_New_Face(face_->library, kFontFile, 0, &face_->face) == 0,
            "cannot read the label font " << kFontFile << " (Debian's fonts-dejavu-core; run scripts/setup.sh)");
  LW_CHECK(FT_Set_Pixel_Sizes(face_->face, 0, static_cast<FT_UInt>(pixel_size)) == 0, "the label font has no size " << pixel_size);
}

ImageText::~ImageText() = default;

int ImageText::line_height() const { return static_cast<int>(face_->face->size->metrics.height >> 6); }

int ImageText::width(std::string_view text) const {
  long pen = 0;
  for (const char32_t c : code_points(text))
    if (face_->load(c, false)) pen += face_->face->glyph->advance.x;
  return static_cast<int>((pen + 63) >> 6);
}

void ImageText::draw(ImageRGB8& image, std::string_view text, int x, int y, Rgb colour) const {
  const int baseline = y + static_cast<int>(face_->face->size->metrics.ascender >> 6);
  long pen = static_cast<long>(x) << 6;
  for (const char32_t c : code_points(text)) {
    if (!face_->load(c, true)) continue;
    const FT_GlyphSlot g = face_->face->glyph;
    const int left = static_cast<int>(pen >> 6) + g->bitmap_left, top = baseline - g->bitmap_top;
    for (unsigned row = 0; row < g->bitmap.rows; ++row)
      for (unsigned col = 0; col < g->bitmap.width; ++col) {
        const int px = left + static_cast<int>(col), py = top + static_cast<int>(row);
        if (px < 0 || py < 0 || px >= image.width || py >= image.height) continue;
        // pitch may be negative (rows stored bottom up): row * pitch, signed, from the buffer.
        const float alpha = g->bitmap.buffer[static_cast<long>(row) * g->bitmap.pitch + static_cast<long>(col)] / 255.f;
        std::uint8_t* p = image.at(px, py);
        for (std::size_t ch = 0; ch < 3; ++ch)
          p[ch] = static_cast<std::uint8_t>(std::lround(p[ch] * (1 - alpha) + colour[ch] * alpha));
      }
    pen += g->advance.x;
  }
}

}  // namespace lw::app
