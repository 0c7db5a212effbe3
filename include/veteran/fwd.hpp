// veteran/fwd.hpp — forward declarations, for headers that only name types.
#pragma once

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
enum class errc : int;
class error;
struct error_info;
template <class T> class result;
VETERAN_NAMESPACE_END
