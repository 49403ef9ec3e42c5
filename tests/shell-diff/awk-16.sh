# awk: number to string conversions
awk 'BEGIN {print 1/3, 100000*100000, 2^31, 0.1+0.2, int(-3.7), 1e6; CONVFMT="%.2f"; x = 3.14159 ""; print x}'
