#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "app/sd_notify.hpp"
#include "test_support.hpp"

TEST(SdNotify, SendsDatagramsToTheNotifySocket) {
  arcd::test::TempDir dir;
  const std::string path = (dir / "notify").string();
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  EXPECT_TRUE(arcd::app::sd_notify("READY=1"));
  char buf[64] = {};
  const auto n = ::recv(fd, buf, sizeof(buf) - 1, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "READY=1");
  ::close(fd);
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(arcd::app::sd_notify("READY=1"));  // not under systemd: a no-op
}

TEST(SdNotify, WatchdogIntervalOnlyForThisProcess) {
  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::unsetenv("WATCHDOG_PID");
  ASSERT_TRUE(arcd::app::sd_watchdog_interval());
  EXPECT_EQ(arcd::app::sd_watchdog_interval()->count(), 30000000);
  ::setenv("WATCHDOG_PID", "1", 1);
  EXPECT_FALSE(arcd::app::sd_watchdog_interval());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}
