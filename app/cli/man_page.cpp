#include "man_page.h"

#include <cstdio>
#include <sstream>
#include <vector>

namespace atelier::cli {
namespace {

// Text for roff: backslashes written as \e, a line that starts with a control character guarded
// by \& so that it is printed, not taken as a request, and characters beyond ASCII (UTF-8) as
// \[uXXXX], which groff reads whatever the locale.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;  // continuation bytes that follow
      unsigned code = c & (0x3F >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k)
        code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F);
      char escape[16];
      std::snprintf(escape, sizeof escape, "\\[u%04X]", code);
      out += escape;
    }
  }
  return out;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

// The program's own --help (CLI11 names the unnamed top command "NAME " with a trailing space).
std::string top_help(const CLI::App& app, const std::string& name) {
  std::string text = app.help(name);
  const std::string doubled = name + "  ";
  if (const auto at = text.find(doubled); at != std::string::npos) text.erase(at + name.size(), 1);
  return text;
}

// Every command under `app`, depth first, each with its whole --help kept as it is laid out.
void write_commands(std::ostringstream& out, const CLI::App& app, const std::string& path) {
  for (const CLI::App* sub : subcommands_of(app)) {
    const std::string name = path + " " + sub->get_name();  // as sub->help(path) names it
    out << ".SS \"" << roff(name) << "\"\n.nf\n" << roff(sub->help(path)) << ".fi\n";
    write_commands(out, *sub, name);
  }
}

}  // namespace

std::string manual_page(const CLI::App& app, const std::string& version) {
  const std::string name = "atelier-cli";
  std::ostringstream out;
  out << ".TH ATELIER-CLI 1 \"\" \"atelier " << roff(version) << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << name << " \\- disentangled and few-shot visual generation, headless\n"
      << ".SH SYNOPSIS\n.B " << name << "\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR ...\n"
      << ".SH DESCRIPTION\n.nf\n"
      << roff(top_help(app, name)) << ".fi\n"
      << ".SH COMMANDS\nEvery command with what \\fB--help\\fR shows for it.\n";
  write_commands(out, app, name);
  out << ".SH EXIT STATUS\n"
      << "0 done; 1 a command line that does not parse; 2 bad input (a file, an option or a "
         "value, named in the message); 3 cancelled (Ctrl-C; a training keeps a resumable "
         "model); 4 an internal failure.\n";
  return out.str();
}

}  // namespace atelier::cli
