#include "support/postgres_server.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace berry::test {

namespace fs = std::filesystem;

namespace {

bool is_root() {
  return ::geteuid() == 0;
}

/// `cmd` as the user that may run PostgreSQL's server programs.
std::string as_server_user(const std::string& cmd) {
  return is_root() ? "runuser -u postgres -- " + cmd : cmd;
}

/// Runs a shell command; its output (stdout and stderr) and exit status.
std::pair<int, std::string> shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p)
    return {-1, "popen failed"};
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  int rc = ::pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

void must(const std::string& cmd, const std::string& what) {
  auto [rc, out] = shell(cmd);
  if (rc != 0)
    throw std::runtime_error(what + " failed (" + std::to_string(rc) +
                             "): " + cmd + "\n" + out);
}

void give_to_server_user(const std::string& path) {
  if (is_root())
    must("chown -R postgres:postgres " + path, "chown");
}

std::string tmp_root() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

/// The template cluster, made by initdb once per machine and user.
std::string template_cluster(const std::string& bindir) {
  std::string tmpl =
      tmp_root() + "/berry-pg-template-" + std::to_string(::geteuid()) + "-15";
  std::string lock = tmpl + ".lock";
  int fd = ::open(lock.c_str(), O_CREAT | O_RDWR, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot open " + lock);
  ::flock(fd, LOCK_EX);
  try {
    if (!fs::exists(tmpl + "/ready")) {
      fs::remove_all(tmpl);
      fs::create_directories(tmpl);
      give_to_server_user(tmpl);
      // A UTF-8 character type so that text search folds Cyrillic case;
      // columns sort bytewise through their own COLLATE "C".
      must(as_server_user(bindir + "/initdb -D " + tmpl +
                          "/data -U berry --auth=trust --encoding=UTF8"
                          " --locale=C.UTF-8 --no-sync"),
           "initdb");
      std::ofstream(tmpl + "/ready") << "ok\n";
    }
  } catch (...) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
    throw;
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  return tmpl + "/data";
}

} // namespace

std::string postgres_bindir() {
  if (const char* env = std::getenv("BERRY_PG_BINDIR"); env && *env)
    return env;
  auto [rc, out] = shell("pg_config --bindir");
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  if (rc == 0 && fs::exists(out + "/initdb"))
    return out;
  for (const char* v : {"17", "16", "15"}) {
    std::string d = std::string("/usr/lib/postgresql/") + v + "/bin";
    if (fs::exists(d + "/initdb"))
      return d;
  }
  return "";
}

postgres_server::postgres_server() {
  std::string bindir = postgres_bindir();
  if (bindir.empty())
    throw std::runtime_error("PostgreSQL's server programs are not installed");
  std::string tmpl = template_cluster(bindir);
  std::string pattern = tmp_root() + "/berry-pg-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  ::chmod(dir_.c_str(), 0755);
  must("cp -a " + tmpl + " " + dir_ + "/data", "copying the template");
  give_to_server_user(dir_);
  start();
  psql("CREATE DATABASE berry", "postgres");
}

postgres_server::postgres_server(standby_of s) {
  std::string pattern = tmp_root() + "/berry-pg-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  ::chmod(dir_.c_str(), 0755);
  give_to_server_user(dir_);
  // -R writes standby.signal and the primary_conninfo to follow.
  must(as_server_user(postgres_bindir() + "/pg_basebackup -D " + dir_ +
                      "/data -h " + s.primary.dir() +
                      " -p 5432 -U berry -R -X stream --checkpoint=fast"),
       "pg_basebackup");
  start();
  s.primary.psql("ALTER SYSTEM SET synchronous_standby_names = '*';"
                 " SELECT pg_reload_conf();",
                 "postgres");
}

void postgres_server::promote() {
  must(as_server_user(postgres_bindir() + "/pg_ctl -D " + dir_ +
                      "/data -w -t 60 promote"),
       "pg_ctl promote");
}

postgres_server::~postgres_server() {
  try {
    if (running_)
      stop("immediate");
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void postgres_server::start() {
  std::string bindir = postgres_bindir();
  std::string opts = "-k " + dir_ +
                     " -c listen_addresses= -p 5432"
                     " -c max_connections=40 -c shared_buffers=16MB";
  auto [rc, out] =
      shell(as_server_user(bindir + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
                           "/log -w -t 60 -o \"" + opts + "\" start"));
  if (rc != 0) {
    std::ifstream log(dir_ + "/log");
    std::stringstream s;
    s << log.rdbuf();
    throw std::runtime_error("pg_ctl start failed: " + out + "\n" + s.str());
  }
  running_ = true;
}

void postgres_server::stop(const std::string& mode) {
  must(as_server_user(postgres_bindir() + "/pg_ctl -D " + dir_ +
                      "/data -w -t 60 -m " + mode + " stop"),
       "pg_ctl stop");
  running_ = false;
}

std::string postgres_server::conninfo(const std::string& db) const {
  return "host=" + dir_ + " port=5432 user=berry dbname=" + db;
}

std::string postgres_server::psql(const std::string& sql,
                                  const std::string& db) {
  std::string file = dir_ + "/query.sql";
  std::ofstream(file) << sql << '\n';
  auto [rc, out] = shell("psql -X -q -A -t -v ON_ERROR_STOP=1 \"" +
                         conninfo(db) + "\" -f " + file);
  if (rc != 0)
    throw std::runtime_error("psql failed: " + out);
  return out;
}

} // namespace berry::test
