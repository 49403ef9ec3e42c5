# awk: printf conversions
awk 'BEGIN {printf "%d %i %o %x %X %u %c %e %E %f %g %G %s %%\n", 42.9, -3, 8, 255, 255, 3, 65, 1234.5, 0.001, 3.14159, 1e-5, 1e20, "str"}'
