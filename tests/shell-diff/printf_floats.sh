printf '%f\n' 3.14159
printf '%.2f %.0f %10.3f|\n' 2.345 2.5 1
printf '%e %E\n' 12345.678 0.00012
printf '%g %g %g %g\n' 100000 1000000 0.0001 0.00001
printf '%G\n' 1e-10
