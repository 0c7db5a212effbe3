# Script mode: cmake -DINPUT=file.json -DOUTPUT=file.cpp -DSYMBOL=name -P VeteranEmbed.cmake
# Writes a C++ source defining `std::string_view veteran_embedded_<SYMBOL>()`
# whose contents are the bytes of INPUT (a text file without the delimiter).
file(READ "${INPUT}" _content)
string(FIND "${_content}" ")veteran_embed\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT}; do not edit.\n#include <string_view>\n"
"std::string_view veteran_embedded_${SYMBOL}() noexcept {\n"
"  static constexpr char data[] = R\"veteran_embed(${_content})veteran_embed\";\n"
"  return std::string_view(data, sizeof data - 1);\n}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
