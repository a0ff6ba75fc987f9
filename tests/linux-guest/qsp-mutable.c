/*
 * qsp-mutable FILE...: clear the immutable flag of efivarfs files, which
 * efivarfs sets on variables it does not know to be removable, so that
 * the test can overwrite and delete its own variables (busybox has no
 * chattr).  Built static by scripts/test-linux-guest for its initramfs.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        int flags;

        if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
            perror(argv[i]);
            rc = 1;
        } else {
            flags &= ~FS_IMMUTABLE_FL;
            if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0) {
                perror(argv[i]);
                rc = 1;
            }
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    return rc;
}
