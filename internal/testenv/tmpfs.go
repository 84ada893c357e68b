package testenv

import (
	"os"
	"syscall"
	"testing"
)

// SmallFS mounts a tmpfs of size bytes on a new temporary directory and
// returns it; it is unmounted when the test ends. A full disk is tested on
// it without filling the machine's. Mounting needs root: without it the
// test is skipped, or fails under FRONTDESK_INTEGRATION=require.
func SmallFS(t testing.TB, size int64) string {
	t.Helper()
	dir := t.TempDir()
	MountTmpfs(t, dir, size)
	return dir
}

// MountTmpfs mounts a tmpfs of size bytes on dir (hiding what dir holds)
// until the test ends; see SmallFS.
func MountTmpfs(t testing.TB, dir string, size int64) {
	t.Helper()
	mountTmpfs(t, dir, "size="+itoa(size)+",mode=0700")
}

// FewInodesFS is SmallFS with room for only inodes files and
// directories: a filesystem out of inodes with bytes to spare.
func FewInodesFS(t testing.TB, size, inodes int64) string {
	t.Helper()
	dir := t.TempDir()
	MountFewInodes(t, dir, size, inodes)
	return dir
}

// MountFewInodes is MountTmpfs with room for only inodes files and
// directories.
func MountFewInodes(t testing.TB, dir string, size, inodes int64) {
	t.Helper()
	mountTmpfs(t, dir, "size="+itoa(size)+",nr_inodes="+itoa(inodes)+",mode=0700")
}

func mountTmpfs(t testing.TB, dir, options string) {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "mounting a small tmpfs needs root")
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, options); err != nil {
		unavailable(t, "mount tmpfs: "+err.Error())
	}
	// Registered after TempDir's cleanup, so it runs before it.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
