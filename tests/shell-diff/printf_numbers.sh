printf '%d %i %u\n' 42 -7 -1
printf '%x %X %o %#x %#o\n' 255 255 8 255 8
printf '%5d|%-5d|%05d|%+d|% d\n' 42 42 42 42 42
printf '%.3d\n' 7
printf '%d\n' 0x1f 010 "'A"
