/*
 * Warm-mode launcher: what Terraform executes as terraform-provider-outscale when a C compiler was available at
 * build time. Starting Node costs ~65 ms before any of our code runs, and Terraform starts the provider 3 to 5 times
 * per command; this program costs a millisecond or two instead: it hands the launch (Terraform's environment with
 * its per-launch PLUGIN_CLIENT_CERT, and the working directory) to a resident provider process of this exact build,
 * prints the handshake line of the session that process starts for it, then relays that session's logs to its own
 * stderr until the session ends or Terraform kills it (which ends the session: the connection closes).
 *
 * Whatever goes wrong before the handshake line (warm mode off, no resident, stale socket, wrong token, another
 * build, a slow answer), it runs the normal Node provider instead (exec, same pid, nothing printed yet); when no
 * resident was there it also starts one in the background for the next launches (detached: its own session, stdio
 * on /dev/null, not a child Terraform waits for).
 *
 * The control protocol is described in control-request.ts, the directory and its checks in runtime-dir.ts.
 *
 * Compile-time settings: BUILD_ID (string, required), NODE_LAUNCHER (file name of the Node launcher next to this
 * program), WARM_DEFAULT (1: warm unless OUTSCALE_PROVIDER_WARM says otherwise; 0: only when it says so),
 * RESIDENT_NODE_FLAGS (comma-separated C strings: Node's flags for the resident, see scripts/warm-launcher.mjs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#ifndef BUILD_ID
#error "BUILD_ID must be defined"
#endif
#ifndef NODE_LAUNCHER
#define NODE_LAUNCHER "terraform-provider-outscale-node"
#endif
#ifndef WARM_DEFAULT
#define WARM_DEFAULT 0
#endif
#ifndef RESIDENT_NODE_FLAGS
#define RESIDENT_NODE_FLAGS "--max-semi-space-size=4"
#endif

#define MAGIC_COOKIE "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
#define REQUEST_MAGIC "OSCWARM1"
#define DEFAULT_TIMEOUT_MS 2000
/* A .starting marker older than this is from a resident that never came up. */
#define STARTING_STALE_SECONDS 30

extern char **environ;

static char node_launcher[PATH_MAX];

/* One hclog JSON line on stderr (Terraform shows it with TF_LOG): why this launch is not warm. */
static void log_fallback(const char *reason) {
  struct timeval now;
  struct tm utc;
  char stamp[40];
  gettimeofday(&now, NULL);
  gmtime_r(&now.tv_sec, &utc);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  fprintf(stderr, "{\"@level\":\"debug\",\"@message\":\"warm mode not used: %s\",\"@module\":\"provider.outscale\",\"@timestamp\":\"%s.%06ldZ\"}\n",
          reason, stamp, (long)now.tv_usec);
}

static void normal_start(char **argv) {
  argv[0] = node_launcher;
  execv(node_launcher, argv);
  fprintf(stderr, "terraform-provider-outscale: cannot run %s: %s\n", node_launcher, strerror(errno));
  _exit(1);
}

static int find_node_launcher(const char *argv0) {
  char self[PATH_MAX];
  char resolved[PATH_MAX];
#ifdef __APPLE__
  uint32_t size = sizeof self;
  if (_NSGetExecutablePath(self, &size) != 0) return 0;
#else
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) self[n] = '\0';
  else if (snprintf(self, sizeof self, "%s", argv0) >= (int)sizeof self) return 0;
#endif
  if (!realpath(self, resolved)) return 0;
  char *slash = strrchr(resolved, '/');
  if (!slash) return 0;
  *slash = '\0';
  return snprintf(node_launcher, sizeof node_launcher, "%s/%s", resolved, NODE_LAUNCHER) < (int)sizeof node_launcher;
}

static int warm_enabled(void) {
  const char *value = getenv("OUTSCALE_PROVIDER_WARM");
  if (!value || !*value) return WARM_DEFAULT;
  if (!strcmp(value, "0") || !strcasecmp(value, "false") || !strcasecmp(value, "off") || !strcasecmp(value, "no"))
    return 0;
  return 1;
}

static long timeout_ms(void) {
  const char *value = getenv("OUTSCALE_PROVIDER_WARM_TIMEOUT_MS");
  long parsed = value ? strtol(value, NULL, 10) : 0;
  return parsed > 0 ? parsed : DEFAULT_TIMEOUT_MS;
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int warm_dir(char *out, size_t size) {
  const char *explicit_dir = getenv("OUTSCALE_PROVIDER_WARM_DIR");
  const char *runtime = getenv("XDG_RUNTIME_DIR");
  int n;
  if (explicit_dir && explicit_dir[0] == '/') n = snprintf(out, size, "%s", explicit_dir);
  else if (runtime && runtime[0] == '/') n = snprintf(out, size, "%s/outscale-provider", runtime);
  else n = snprintf(out, size, "/tmp/outscale-provider-%u", (unsigned)getuid());
  return n > 0 && (size_t)n < size;
}

/* Ours and closed to everyone else: nobody but this user can have put a socket or token there. */
static int trusted(const struct stat *st) {
  return st->st_uid == getuid() && (st->st_mode & 077) == 0;
}

static int trusted_dir(const char *dir) {
  struct stat st;
  return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && trusted(&st);
}

static int read_token(const char *path, char *out, size_t size) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st;
  ssize_t n = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && trusted(&st)) n = read(fd, out, size - 1);
  close(fd);
  if (n <= 0) return 0;
  out[n] = '\0';
  return 1;
}

static int wait_for(int fd, short events, long deadline) {
  struct pollfd p = {fd, events, 0};
  for (;;) {
    long left = deadline - now_ms();
    if (left <= 0) return 0;
    int r = poll(&p, 1, (int)left);
    if (r > 0) return 1;
    if (r < 0 && errno != EINTR) return 0;
  }
}

/* Connected socket, or -1 with errno (ENOENT / ECONNREFUSED: no resident). */
static int connect_control(const char *path, long deadline) {
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(address.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) return fd;
  if (errno == EINPROGRESS || errno == EAGAIN) {
    int error = 0;
    socklen_t length = sizeof error;
    if (wait_for(fd, POLLOUT, deadline) && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0)
      return fd;
    errno = error ? error : ETIMEDOUT;
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

static int append(char **buffer, size_t *length, size_t *capacity, const char *text) {
  size_t n = strlen(text) + 1; /* with its NUL */
  if (*length + n > *capacity) {
    size_t wanted = (*length + n) * 2;
    char *grown = realloc(*buffer, wanted);
    if (!grown) return 0;
    *buffer = grown;
    *capacity = wanted;
  }
  memcpy(*buffer + *length, text, n);
  *length += n;
  return 1;
}

static int send_all(int fd, const char *data, size_t length, long deadline) {
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n > 0) {
      data += n;
      length -= (size_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd, POLLOUT, deadline)) return 0;
    } else {
      return 0;
    }
  }
  return 1;
}

static int send_request(int fd, const char *token, long deadline) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return 0;
  size_t length = 0, capacity = 0;
  char *buffer = NULL;
  int ok = append(&buffer, &length, &capacity, REQUEST_MAGIC) && append(&buffer, &length, &capacity, BUILD_ID) &&
           append(&buffer, &length, &capacity, token) && append(&buffer, &length, &capacity, cwd);
  for (char **entry = environ; ok && *entry; entry++)
    if (**entry) ok = append(&buffer, &length, &capacity, *entry);
  ok = ok && append(&buffer, &length, &capacity, "");
  ok = ok && send_all(fd, buffer, length, deadline);
  free(buffer);
  return ok;
}

static void write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n > 0) {
      data += n;
      length -= (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return;
    }
  }
}

static volatile sig_atomic_t terminating = 0;

static void on_terminate(int signal_number) {
  (void)signal_number;
  terminating = 1;
}

/*
 * After the handshake: the session's stderr to ours, until the resident ends the session or Terraform goes away.
 * On SIGTERM, like a provider that closes its server before exiting: half-close, and let the resident end the
 * session (socket removed) before exiting, within a second.
 */
static void relay(int fd, const char *pending, size_t pending_length) {
  pid_t parent = getppid();
  write_all(2, pending, pending_length);
  char buffer[65536];
  struct pollfd p = {fd, POLLIN, 0};
  long give_up = 0;
  for (;;) {
    if (terminating && !give_up) {
      shutdown(fd, SHUT_WR);
      give_up = now_ms() + 1000;
    }
    if (give_up && now_ms() >= give_up) _exit(143);
    int r = poll(&p, 1, give_up ? 100 : 1000);
    if (r < 0 && errno != EINTR) _exit(0);
    if (r > 0) {
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n > 0) write_all(2, buffer, (size_t)n);
      else if (n == 0 || (errno != EAGAIN && errno != EINTR)) _exit(terminating ? 143 : 0);
    }
    if (getppid() != parent) _exit(0); /* Terraform died without Shutdown: closing the connection ends the session */
  }
}

/* 1 = handshake printed (never returns then), 0 = fall back. */
static int try_session(int fd, const char *token, long deadline) {
  if (!send_request(fd, token, deadline)) return 0;
  char answer[16384];
  size_t length = 0;
  char *newline = NULL;
  while (!newline) {
    if (length == sizeof answer || !wait_for(fd, POLLIN, deadline)) return 0;
    ssize_t n = read(fd, answer + length, sizeof answer - length);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return 0;
    }
    newline = memchr(answer + length, '\n', (size_t)n);
    length += (size_t)n;
  }
  if (strncmp(answer, "OK ", 3) != 0) return 0;
  /* Before the line is out: Terraform may signal as soon as it has read it. */
  signal(SIGINT, SIG_IGN); /* like go-plugin servers: Terraform stops sessions with StopProvider */
  signal(SIGPIPE, SIG_IGN);
  struct sigaction term;
  memset(&term, 0, sizeof term);
  term.sa_handler = on_terminate;
  sigaction(SIGTERM, &term, NULL);
  size_t line_length = (size_t)(newline - answer) + 1 - 3;
  write_all(1, answer + 3, line_length);
  relay(fd, newline + 1, length - (size_t)(newline + 1 - answer));
  return 1;
}

static void keep_env(char **kept, size_t *count, const char *name) {
  char *value = getenv(name);
  if (!value) return;
  size_t n = strlen(name) + strlen(value) + 2;
  char *entry = malloc(n);
  if (!entry) return;
  snprintf(entry, n, "%s=%s", name, value);
  kept[(*count)++] = entry;
}

/* The resident gets no credentials: each session brings its own environment. */
static void exec_resident(void) {
  static const char *const names[] = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR",
                                      "OUTSCALE_PROVIDER_WARM_DIR", "OUTSCALE_PROVIDER_WARM_IDLE_SECONDS"};
  char *env[16];
  size_t count = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) keep_env(env, &count, names[i]);
  int devnull = open("/dev/null", O_RDWR);
  const char *log_path = getenv("OUTSCALE_PROVIDER_WARM_LOG");
  int err = log_path && *log_path ? open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600) : -1;
  if (err >= 0) env[count++] = "TF_LOG_PROVIDER_OUTSCALE=debug";
  env[count] = NULL;
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(err >= 0 ? err : devnull, 2);
  }
  long max = sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++) close(fd);
  if (chdir("/") != 0) _exit(1);
  /* node found on PATH the way the Node launcher's own "#!/usr/bin/env node" line finds it, with the flags. */
  char *argv[] = {"/usr/bin/env", "node", RESIDENT_NODE_FLAGS, node_launcher, "--resident", NULL};
  execve("/usr/bin/env", argv, env);
  _exit(127);
}

static void start_resident(const char *dir, const char *starting) {
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) return;
  if (!trusted_dir(dir)) return;
  int marker = open(starting, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (marker < 0) {
    struct stat st;
    if (errno != EEXIST || lstat(starting, &st) != 0 || time(NULL) - st.st_mtime < STARTING_STALE_SECONDS) return;
    unlink(starting); /* a resident that never came up */
    marker = open(starting, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (marker < 0) return;
  }
  close(marker);
  pid_t child = fork();
  if (child < 0) {
    unlink(starting);
    return;
  }
  if (child == 0) {
    setsid();
    pid_t grandchild = fork();
    if (grandchild == 0) exec_resident();
    _exit(grandchild < 0 ? 1 : 0);
  }
  waitpid(child, NULL, 0);
}

int main(int argc, char **argv) {
  (void)argc;
  if (!find_node_launcher(argv[0])) {
    fprintf(stderr, "terraform-provider-outscale: cannot locate %s\n", NODE_LAUNCHER);
    return 1;
  }
  /* Flags (--version, --debug…) and launches by hand are the Node provider's business. */
  const char *cookie = getenv("TF_PLUGIN_MAGIC_COOKIE");
  if (argc > 1 || !cookie || strcmp(cookie, MAGIC_COOKIE) != 0 || !warm_enabled()) normal_start(argv);

  char dir[PATH_MAX], socket_path[PATH_MAX], token_path[PATH_MAX], starting[PATH_MAX];
  if (!warm_dir(dir, sizeof dir) ||
      snprintf(socket_path, sizeof socket_path, "%s/%s.sock", dir, BUILD_ID) >= (int)sizeof socket_path ||
      snprintf(token_path, sizeof token_path, "%s/%s.token", dir, BUILD_ID) >= (int)sizeof token_path ||
      snprintf(starting, sizeof starting, "%s/%s.starting", dir, BUILD_ID) >= (int)sizeof starting)
    normal_start(argv);

  long deadline = now_ms() + timeout_ms();
  char token[256];
  struct stat st;
  const char *missing = !trusted_dir(dir) ? "no private directory"
                        : lstat(socket_path, &st) != 0 || !S_ISSOCK(st.st_mode) || !trusted(&st) ? "no resident process"
                        : !read_token(token_path, token, sizeof token) ? "no readable private token"
                        : NULL;
  int fd = missing ? -1 : connect_control(socket_path, deadline);
  if (fd < 0) {
    log_fallback(missing ? missing : "the resident process does not answer (stale socket)");
    if (missing || errno == ECONNREFUSED || errno == ENOENT) start_resident(dir, starting);
    normal_start(argv);
  }
  try_session(fd, token, deadline);
  log_fallback("the resident process refused or did not answer in time");
  close(fd);
  normal_start(argv);
  return 1;
}
