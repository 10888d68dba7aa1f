#version 450
// One tile: a quad covering `rect` (normalised device coordinates: x0, y0, x1, y1), drawn as a
// four-vertex triangle strip with no vertex buffer.
layout(push_constant) uniform Tile {
  vec4 rect;
} tile;

layout(location = 0) out vec2 uv;

void main() {
  vec2 corner = vec2(gl_VertexIndex & 1, gl_VertexIndex >> 1);
  uv = corner;
  gl_Position = vec4(mix(tile.rect.xy, tile.rect.zw, corner), 0.0, 1.0);
}
