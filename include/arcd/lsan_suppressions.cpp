// LeakSanitizer suppressions, compiled into every binary of the sanitizer build only.
// OpenSSL keeps per-process state that libssh2 (under libcurl's SFTP) allocates once and never
// frees; it is not ours and does not grow.
#ifdef ARCD_SANITIZE_BUILD
extern "C" const char* __lsan_default_suppressions() { return "leak:libcrypto.so\n"; }
#endif
