// The viewer's ImGui panels: what the model is, and the latent controls.
#pragma once

#include "atelier/model_file.h"
#include "latest_renderer.h"

namespace atelier::viewer {

void draw_model_panel(const ModelInfo& info);
// Sliders for seeds, interpolation, start scale and output size; returns true when changed.
bool draw_latent_controls(RenderRequest& request, int scales, int train_width, int train_height);

}  // namespace atelier::viewer
