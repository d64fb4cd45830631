# Common settings for every project target: warnings (errors for our own code),
# the optional sanitizer build, and the include root so headers read <arcd/...>.
function(arcd_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string (GCC PR 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(ARCD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(ARCD_SANITIZE)
    # vptr checks need typeinfo that Debian's SOCI does not export.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                           -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize=vptr)
    target_compile_definitions(${target} PRIVATE ARCD_SANITIZE_BUILD=1)
    get_target_property(kind ${target} TYPE)
    if(kind STREQUAL "EXECUTABLE")
      target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/include/arcd/lsan_suppressions.cpp)
    endif()
  endif()
endfunction()
