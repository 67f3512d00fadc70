// The public patchnn operations: what each run starts from, on which source, at which size.
#include <algorithm>

#include <torch/torch.h>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/patchnn/volume_run.h"

namespace atelier {
namespace {

using namespace patchnn;

PatchShape picture_patch(const PatchnnParams& p) {
  return {1, p.patch_size};
}
PatchShape video_patch(const PatchnnParams& p) {
  return {p.patch_frames, p.patch_size};
}

// A run on a picture, with the picture rounds of `params`.
VolumeRun picture_run(const std::string& label, const torch::Tensor& source,
                      const PatchnnParams& params) {
  VolumeRun run;
  run.label = label;
  run.source = source;
  run.patch = picture_patch(params);
  run.rounds = params.rounds;
  run.coarsest_rounds = params.rounds;
  return run;
}

// Pyramid levels of the sampling depth (down to min_size) for a source of `size`.
std::vector<LevelScale> sampling_levels(const VolumeSize& size, const PatchnnParams& params) {
  return levels_to_min_side(std::min(size.height, size.width), params.scale_factor,
                            params.min_size);
}

PatchnnImageResult single_picture(const VolumeRun& run, const PatchnnParams& params,
                                  const Callbacks& callbacks, std::vector<std::string> notes) {
  PatchnnImageResult result;
  result.report.notes = std::move(notes);
  result.image = volume_picture(run_volumes({run}, params, callbacks, result.report).front());
  return result;
}

}  // namespace

PatchnnSamples patchnn_samples(const Image& source, int n, const PatchnnParams& params,
                               const PatchnnSampleOptions& options, const ComputeOptions& compute,
                               const Callbacks& callbacks) {
  if (n < 1) throw usage_error("patchnn: at least one sample must be asked for");
  return guarded("patchnn samples of " + options.source_name, [&] {
    PatchnnSamples result;
    const Image picture =
        picture_within_limits(source, params, options.source_name, result.report.notes);
    const torch::Device device = prepare_compute(compute, options.seed);
    const torch::Tensor volume = picture_volume(picture, device);
    const VolumeSize out =
        output_size(options.width, options.height, 1, size_of(volume), picture_patch(params));
    VolumeRun run = picture_run("sample", source_at_output_scale(volume, out), params);
    run.start = run.source;
    run.out = out;
    run.scales = sampling_levels(size_of(run.source), params);
    run.coarsest_rounds = params.coarsest_rounds;
    run.noise_std = options.noise_std >= 0 ? options.noise_std : params.noise_std;
    run.max_in_place = params.max_in_place;
    run.alpha = params.sample_alpha;
    std::vector<VolumeRun> runs;
    for (int i = 0; i < n; ++i) {
      run.seed = options.seed + static_cast<std::uint64_t>(i);
      if (n > 1) run.label = "sample " + std::to_string(i + 1);
      runs.push_back(run);
    }
    for (const torch::Tensor& out : run_volumes(runs, params, callbacks, result.report))
      result.images.push_back(volume_picture(out));
    return result;
  });
}

PatchnnImageResult patchnn_sample(const Image& source, const PatchnnParams& params,
                                  const PatchnnSampleOptions& options,
                                  const ComputeOptions& compute, const Callbacks& callbacks) {
  PatchnnSamples samples = patchnn_samples(source, 1, params, options, compute, callbacks);
  return {std::move(samples.images.front()), std::move(samples.report)};
}

PatchnnImageResult patchnn_retarget(const Image& source, int width, int height,
                                    const PatchnnParams& params, const std::string& source_name,
                                    const ComputeOptions& compute, const Callbacks& callbacks) {
  return guarded("patchnn retargeting of " + source_name, [&] {
    std::vector<std::string> notes;
    const Image picture = picture_within_limits(source, params, source_name, notes);
    const torch::Device device = prepare_compute(compute, 1);
    const torch::Tensor volume = picture_volume(picture, device);
    const VolumeSize out = output_size(width, height, 1, size_of(volume), picture_patch(params));
    // Shrunk on both sides, the source comes to the output's scale first, as for samples.
    VolumeRun run = picture_run("retarget", source_at_output_scale(volume, out), params);
    run.out = out;
    run.start = resize_volume(run.source, run.out);  // the plainly resized source
    run.scales = levels_to_min_side(std::min(out.height, out.width), params.scale_factor,
                                    params.retarget_min_size);
    run.alpha = params.retarget_alpha;
    return single_picture(run, params, callbacks, std::move(notes));
  });
}

namespace {

// Structure from `structure`, patches from `patches`, at the structure's size.
VolumeRun analogy_run(const std::string& label, const torch::Tensor& structure,
                      const torch::Tensor& patches, const PatchnnParams& params) {
  VolumeRun run = picture_run(label, patches, params);
  run.start = structure;
  run.out = size_of(structure);
  const VolumeSize a = size_of(structure), b = size_of(patches);
  const int short_side = std::min({a.height, a.width, b.height, b.width});
  run.scales =
      fixed_levels(params.analogy_levels, params.scale_factor, short_side, params.patch_size);
  run.alpha = params.analogy_alpha;
  return run;
}

}  // namespace

PatchnnImageResult patchnn_analogy(const Image& structure, const Image& patches,
                                   const PatchnnParams& params, const std::string& structure_name,
                                   const std::string& patches_name, const ComputeOptions& compute,
                                   const Callbacks& callbacks) {
  return guarded("patchnn analogy of " + structure_name + " and " + patches_name, [&] {
    std::vector<std::string> notes;
    const Image s = picture_within_limits(structure, params, structure_name, notes);
    const Image p = picture_within_limits(patches, params, patches_name, notes);
    const torch::Device device = prepare_compute(compute, 1);
    const VolumeRun run =
        analogy_run("analogy", picture_volume(s, device), picture_volume(p, device), params);
    return single_picture(run, params, callbacks, std::move(notes));
  });
}

PatchnnAnalogyPair patchnn_analogies(const Image& a, const Image& b, const PatchnnParams& params,
                                     const std::string& a_name, const std::string& b_name,
                                     const ComputeOptions& compute, const Callbacks& callbacks) {
  return guarded("patchnn analogies of " + a_name + " and " + b_name, [&] {
    PatchnnAnalogyPair pair;
    const Image pa = picture_within_limits(a, params, a_name, pair.report.notes);
    const Image pb = picture_within_limits(b, params, b_name, pair.report.notes);
    const torch::Device device = prepare_compute(compute, 1);
    const torch::Tensor va = picture_volume(pa, device), vb = picture_volume(pb, device);
    const std::vector<torch::Tensor> out =
        run_volumes({analogy_run("a->b", va, vb, params), analogy_run("b->a", vb, va, params)},
                    params, callbacks, pair.report);
    pair.a2b = volume_picture(out[0]);
    pair.b2a = volume_picture(out[1]);
    return pair;
  });
}

PatchnnImageResult patchnn_paint(const Image& source, const Image& painting,
                                 const PatchnnParams& params, const std::string& source_name,
                                 const std::string& painting_name, const ComputeOptions& compute,
                                 const Callbacks& callbacks) {
  return guarded("patchnn paint-to-image of " + painting_name, [&] {
    std::vector<std::string> notes;
    const Image picture = picture_within_limits(source, params, source_name, notes);
    if (painting.empty()) throw bad_input(painting_name + ": the painting is empty");
    Image canvas = painting;
    if (painting.width != picture.width || painting.height != picture.height) {
      canvas = resize_image(painting, picture.width, picture.height);
      add_note(notes, painting_name + " is " + std::to_string(painting.width) + "x" +
                          std::to_string(painting.height) + " px: resized to " +
                          std::to_string(picture.width) + "x" + std::to_string(picture.height) +
                          ", the size of " + source_name);
    }
    const torch::Device device = prepare_compute(compute, 1);
    VolumeRun run = picture_run("paint", picture_volume(picture, device), params);
    run.start = picture_volume(canvas, device);
    run.out = size_of(run.source);
    run.scales = fixed_levels(params.paint_levels, params.scale_factor,
                              std::min(picture.width, picture.height), params.patch_size);
    run.alpha = params.paint_alpha;
    return single_picture(run, params, callbacks, std::move(notes));
  });
}

namespace patchnn {

// The space-time pyramid and the noisy start of a video sample (shared with the variations).
VolumeRun video_run(const std::string& label, const torch::Tensor& clip,
                    const PatchnnParams& params, const PatchnnVideoOptions& options) {
  VolumeRun run;
  run.label = label;
  run.source = clip;
  run.start = clip;
  run.patch = video_patch(params);
  const VolumeSize size = size_of(clip);
  run.out = output_size(options.width, options.height, options.frames, size, run.patch);
  run.scales = levels_to_min_side(std::min(size.height, size.width), params.video_scale_factor,
                                  params.video_min_size);
  add_time_scales(run.scales, size.frames, params.video_time_factor, params.video_min_frames);
  run.coarsest_rounds = params.coarsest_rounds;
  run.rounds = params.video_rounds;
  run.sharp_keys = params.video_sharp_keys;
  run.noise_std = options.noise_std >= 0 ? options.noise_std : params.video_noise_std;
  run.max_in_place = params.max_in_place;
  run.seed = options.seed;
  return run;
}

}  // namespace patchnn

PatchnnVideoResult patchnn_video_sample(const Video& clip, const PatchnnParams& params,
                                        const PatchnnVideoOptions& options,
                                        const ComputeOptions& compute, const Callbacks& callbacks) {
  return guarded("patchnn video sample of " + options.clip_name, [&] {
    PatchnnVideoResult result;
    const Video used = clip_within_limits(clip, params, options.clip_name, result.report.notes);
    const torch::Device device = prepare_compute(compute, options.seed);
    const torch::Tensor volume = video_to_tensor(used, device).squeeze(0);
    const std::vector<torch::Tensor> out = run_volumes(
        {video_run("generate", volume, params, options)}, params, callbacks, result.report);
    result.video = tensor_to_video(out.front().unsqueeze(0), used.fps);
    return result;
  });
}

}  // namespace atelier
