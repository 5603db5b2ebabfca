# JupyterHub configuration for a sockbook class on one Debian machine.
#
# Debian's jupyterhub (3.0) starts one Jupyter Notebook server per learner,
# as that learner's own Unix account (LocalProcessSpawner), and each server
# starts sockbook kernels from the system-wide kernelspec staged by
# go run ./classroom/stage (see the README's "Teaching a class").
#
#   sudo jupyterhub -f /path/to/classroom/jupyterhub_config.py
#
# Every setting a class usually changes can also come from the environment
# of the hub, so that one file serves every class:
#
#   SOCKBOOK_PREFIX        where the kernel is installed    (/usr/local)
#   SOCKBOOK_COURSE        the course each learner copies   (/srv/sockbook)
#   SOCKBOOK_HUB_URL       where the hub listens            (http://127.0.0.1:8000)
#   SOCKBOOK_NOFILE        open files per learner process   (16384)
#   SOCKBOOK_ADDRESS_SPACE address space per process, bytes (4 GiB)
#   SOCKBOOK_HUB_API_TOKEN a token for scripting the class through the
#                          hub's REST API (none by default)
import os
import pwd
import resource
import shutil

from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

PREFIX = os.environ.get("SOCKBOOK_PREFIX", "/usr/local")
COURSE = os.environ.get("SOCKBOOK_COURSE", "/srv/sockbook")
NOFILE = int(os.environ.get("SOCKBOOK_NOFILE", 16384))
ADDRESS_SPACE = int(os.environ.get("SOCKBOOK_ADDRESS_SPACE", 4 << 30))
# Learners' processes yield the CPU to the hub and the proxy.
NICE = 10

# Loopback only: put a TLS proxy in front of the hub (or set a public URL
# with c.JupyterHub.ssl_key/ssl_cert) before learners connect from afar.
c.JupyterHub.bind_url = os.environ.get("SOCKBOOK_HUB_URL", "http://127.0.0.1:8000")


class SockbookSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that sets the per-learner limits.

    LocalProcessSpawner does not enforce mem_limit or cpu_limit (only
    container spawners do), so the limits are set here as resource limits,
    in the child, before it drops root: a learner's server and every kernel
    it starts inherit them and cannot raise them again.
    """

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)

        def preexec():
            # Chapter 06 and the benchmarks hold thousands of sockets at
            # once; Debian's default of 1024 open files would stop them.
            resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
            # Memory: a ceiling on each process's address space. Go
            # reserves address space it never touches, so this is set well
            # above the few hundred MB a learner uses; a memory cgroup
            # (see the README) bounds resident memory more tightly.
            resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
            os.nice(NICE)
            become_user()

        return preexec


c.JupyterHub.spawner_class = SockbookSpawner
# The classic Notebook (Debian's python3-notebook), started in the home
# folder, where the course copy below lands.
c.Spawner.cmd = ["jupyterhub-singleuser"]
c.Spawner.notebook_dir = "~"
# Jupyter finds the sockbook kernelspec under PREFIX/share/jupyter; naming it
# keeps a prefix other than /usr/local working too.
c.Spawner.environment = {"JUPYTER_PATH": os.path.join(PREFIX, "share", "jupyter")}
# Advisory for LocalProcessSpawner (it only exports MEM_LIMIT and
# CPU_LIMIT to the server); the enforced limits are the ones above.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0
# A kernel build is not part of a login, but a cold server start on a busy
# machine can take a while.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60


def copy_course(spawner):
    """Give a learner their own copy of the course, once, on first login."""
    user = pwd.getpwnam(spawner.user.name)
    dst = os.path.join(user.pw_dir, "sockbook")
    if os.path.exists(dst) or not os.path.isdir(COURSE):
        return
    shutil.copytree(COURSE, dst)
    for root, dirs, files in os.walk(dst):
        for name in [root] + [os.path.join(root, n) for n in dirs + files]:
            os.chown(name, user.pw_uid, user.pw_gid)


c.Spawner.pre_spawn_hook = copy_course

# An API token for the teacher's scripts (and the tests): it may add users
# and start, stop and reach their servers, but holds no other rights.
token = os.environ.get("SOCKBOOK_HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "teacher", "api_token": token}]
    c.JupyterHub.load_roles = [
        {
            "name": "teacher",
            "scopes": ["admin:users", "admin:servers", "access:servers"],
            "services": ["teacher"],
        }
    ]
