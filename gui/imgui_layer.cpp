#include "gui/imgui_layer.hpp"

#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_vulkan.h>

#include <iostream>

#include "interop/vk_check.hpp"
#include "renderer/window.hpp"

namespace lw::gui {

namespace {
// Dear ImGui's current context is one global pointer: every layer's use takes this lock.
std::mutex& imgui_mutex() {
  static std::mutex m;
  return m;
}

void report_vk_result(VkResult r) {
  // ImGui's back end calls this from inside its own code: report, do not throw through it.
  if (r != VK_SUCCESS) std::cerr << "latentwalk: the UI back end got " << interop::vk_result_name(r) << "\n";
}
}  // namespace

ImGuiLayer::ImGuiLayer(const renderer::Context& context, VkRenderPass render_pass, int frames_in_flight,
                       renderer::Window* window) {
  auto lock = use();
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 16};
  VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
  pi.maxSets = 16;
  pi.poolSizeCount = 1;
  pi.pPoolSizes = &size;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateDescriptorPool(context.device(), &pi, nullptr, &pool));
  pool_ = interop::DescriptorPool(context.device(), pool);

  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini left in the working directory
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 4.f;
  base_style_ = std::make_unique<ImGuiStyle>(ImGui::GetStyle());
  if (window != nullptr) {
    ImGui_ImplGlfw_InitForVulkan(window->handle(), true);
    glfw_ = true;
  }
  ImGui_ImplVulkan_InitInfo info{};
  info.Instance = context.instance();
  info.PhysicalDevice = context.physical();
  info.Device = context.device();
  info.QueueFamily = context.queue_family();
  info.Queue = context.queue();
  info.DescriptorPool = pool;
  info.Subpass = 0;
  // The back end keeps one vertex buffer set per "image" and cycles them; frames in flight is
  // what bounds reuse here, since each frame's fence is waited before its slot is recorded.
  info.MinImageCount = 2;
  info.ImageCount = static_cast<std::uint32_t>(std::max(2, frames_in_flight));
  info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
  info.CheckVkResultFn = report_vk_result;
  if (!ImGui_ImplVulkan_Init(&info, render_pass)) {
    if (glfw_) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    LW_FAIL("the UI's Vulkan back end failed to initialise");
  }
  try {
    context.submit_once([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
  } catch (...) {
    ImGui_ImplVulkan_Shutdown();
    if (glfw_) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    throw;
  }
  ImGui_ImplVulkan_DestroyFontUploadObjects();
}

std::unique_lock<std::mutex> ImGuiLayer::use() const {
  std::unique_lock lock(imgui_mutex());
  if (context_) ImGui::SetCurrentContext(context_);
  return lock;
}

ImGuiLayer::~ImGuiLayer() {
  const bool in_frame = frame_lock_.owns_lock();
  auto lock = in_frame ? std::move(frame_lock_) : use();
  if (in_frame) ImGui::EndFrame();
  ImGui_ImplVulkan_Shutdown();
  if (glfw_) ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext(context_);
  ImGui::SetCurrentContext(nullptr);
}

void ImGuiLayer::new_frame(VkExtent2D size, float dt, float scale) {
  if (frame_lock_.owns_lock()) {
    ImGui::EndFrame();  // a frame begun and never recorded (its frame was skipped or threw)
  } else {
    frame_lock_ = use();
  }
  if (scale != scale_ && base_style_) {
    // From the unscaled style each time: scaling a scaled style compounds rounding.
    ImGui::GetStyle() = *base_style_;
    ImGui::GetStyle().ScaleAllSizes(scale);
    ImGui::GetIO().FontGlobalScale = scale;
    scale_ = scale;
  }
  ImGui_ImplVulkan_NewFrame();
  if (glfw_) {
    ImGui_ImplGlfw_NewFrame();
  } else {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(size.width), static_cast<float>(size.height));
    io.DeltaTime = dt > 0.f ? dt : 1.f / 60.f;
  }
  ImGui::NewFrame();
}

void ImGuiLayer::record(VkCommandBuffer cmd) {
  if (!frame_lock_.owns_lock()) frame_lock_ = use();
  ImGui::Render();
  ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
  frame_lock_.unlock();
}

bool ImGuiLayer::wants_keyboard() const {
  if (frame_lock_.owns_lock()) return ImGui::GetIO().WantCaptureKeyboard;
  auto lock = use();
  return ImGui::GetIO().WantCaptureKeyboard;
}

}  // namespace lw::gui
