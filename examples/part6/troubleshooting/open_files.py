import resource


def show(label):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    print(f"{label}: soft limit {soft}, hard limit {hard}")


def raise_open_files_limit():
    """Raise the soft limit on open files as far as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        # An unprivileged process may raise its soft limit up to the hard limit.
        # (RLIM_INFINITY as a hard limit is rare for files; keep a finite value then.)
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


if __name__ == "__main__":
    show("before")
    raise_open_files_limit()
    show("after")
