// atelier-cli's masktransfer commands: train masktransfer --a DIR --b DIR, run MODEL transfer|
// remove|mask|strength|interpolate|reconstruct, eval masktransfer, bench masktransfer.
#include <cstdio>
#include <memory>

#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "methods/transfer_cli.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

struct RunOptions {
  std::string out, mask_out, image, from, onto, to, attribute, part = "all";
  double value = 1;
  double threshold = -1;
  int steps = 8;
  double fps = 8;
};

void save_masked(const MaskedImage& result, const RunOptions& o) {
  save_image(result.image, o.out);
  if (!o.mask_out.empty()) save_image(result.mask, o.mask_out);
}

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("--out", o->out, "Output image (interpolate: strip PNG, GIF or MP4)")
      ->required();
  if (operation == "transfer") {
    command.add_option("--from", o->from, "Image whose attribute is taken")->required()->check(
        CLI::ExistingFile);
    command.add_option("--onto", o->onto, "Image that receives it")->required()->check(
        CLI::ExistingFile);
    command.add_option("--attribute", o->attribute,
                       "a or b (default: the stronger separate code of --from)");
  } else if (operation == "interpolate") {
    command.add_option("--from", o->from)->required()->check(CLI::ExistingFile);
    command.add_option("--to", o->to)->required()->check(CLI::ExistingFile);
    command.add_option("--steps", o->steps)->check(number_in(2, kMaxImages))->capture_default_str();
    command.add_option("--part", o->part, "common, a, b or all")->capture_default_str();
    command.add_option("--fps", o->fps, "Frames per second of a GIF/MP4")
        ->check(number_in(0.1, 1000))
        ->capture_default_str();
  } else {
    command.add_option("--image", o->image)->required()->check(CLI::ExistingFile);
  }
  if (operation == "transfer" || operation == "remove" || operation == "strength" ||
      operation == "reconstruct") {
    command.add_option("--mask-out", o->mask_out, "Also write the mask of the change here");
  }
  if (operation == "remove") {
    command
        .add_option("--threshold", o->threshold,
                    "Mask threshold in [0, 1): 0 soft mask; default: the model's")
        ->check(number_in(0, 0.999));
  }
  if (operation == "strength") transfer::add_strength_options(command, o->attribute, o->value);
  return [operation, o, &context, model] {
    const auto inputs = transfer::run_inputs(model, o->image, o->from, o->onto, o->to);
    check_run_output(o->out, inputs);
    if (!o->mask_out.empty()) check_output_file("--mask-out", o->mask_out, inputs);
    const MasktransferModel m = MasktransferModel::load(model, context.compute);
    if (operation == "transfer") {
      const Image from = load_image(o->from);
      const Attribute attribute = o->attribute.empty() ? m.dominant_attribute(from)
                                                       : transfer::parse_attribute(o->attribute);
      save_masked(m.transfer(from, load_image(o->onto), attribute), *o);
    } else if (operation == "remove") {
      save_masked(m.remove(load_image(o->image), o->threshold), *o);
    } else if (operation == "reconstruct") {
      save_masked(m.reconstruct(load_image(o->image)), *o);
    } else if (operation == "mask") {
      save_image(m.mask(load_image(o->image)), o->out);
    } else if (operation == "strength") {
      save_masked(
          m.strength(load_image(o->image), transfer::parse_attribute(o->attribute), o->value), *o);
    } else if (operation == "interpolate") {
      write_sequence(m.interpolate(load_image(o->from), load_image(o->to), o->steps,
                                   transfer::parse_part(o->part)),
                     o->out, o->fps);
    }
    nlohmann::json result = {{"operation", operation}, {"out", o->out}};
    if (!o->mask_out.empty()) result["mask"] = o->mask_out;
    context.print_result(result, [&] { std::printf("wrote %s\n", o->out.c_str()); });
    return kExitOk;
  };
}

}  // namespace

MethodCli masktransfer_cli() {
  MethodCli cli;
  cli.id = "masktransfer";
  cli.summary = "Mask-based content transfer: add or remove an attribute inside a soft mask, "
                "leaving the rest of the image untouched";
  cli.add_train = [](CLI::App& command, Context& context, const TrainCommon& common) {
    return transfer::add_train(
        "masktransfer", command, context, common,
        [](const Preset& p) { return MasktransferParams::from_preset(p).image_size; },
        [](const TransferImages& i, const Preset& p, const TrainOptions& o, const Callbacks& c) {
          return train_masktransfer(i, p, o, c);
        });
  };
  cli.operations = {
      {"transfer", "--from X --onto Y [--attribute a|b] [--mask-out M]: X's attribute onto Y"},
      {"remove", "--image X [--threshold T] [--mask-out M]: attributes removed inside the mask"},
      {"mask", "--image X: where X's attributes are (grey image)"},
      {"reconstruct", "--image X: X's attributes painted back over X"},
      {"strength", "--image X --attribute a|b --value S: attribute scaled by S"},
      {"interpolate", "--from X --to Y --steps N [--part common|a|b|all]"}};
  cli.add_run = add_run;
  cli.add_eval = [](CLI::App& command, Context& context) {
    return transfer::add_eval("masktransfer", command, context);
  };
  cli.add_bench = [](CLI::App& command, Context& context) {
    return transfer::add_bench("masktransfer", command, context);
  };
  return cli;
}

}  // namespace atelier::cli
