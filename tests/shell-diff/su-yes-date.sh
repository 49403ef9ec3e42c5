# yes through a pipe; date on given moments (UTC)
yes | head -3
yes a b | head -2
yes -- -x | head -1
yes '' | head -2 | tr '\0' '|'
yes | head -3 >/dev/null; echo "${PIPESTATUS[@]}"
set -o pipefail; yes | head -1; echo "st=$?"; set +o pipefail
yes | sed 5q | wc -l
yes -x; echo "st=$?"
date -u -d @1767225600
date -u -d @0 '+%Y-%m-%d %H:%M:%S %s %N %a %A %b %B %C %d %D %e %F %g %G %h %I %j %k %l %m %M %p %P %r %R %S %T %u %U %V %w %W %y %Y %z %:z %::z %% %3N %-d %_m %05d %^a %#b %q'
date -u -R -d @1767225600
date -u -I -d @1767225600
date -u -Iseconds -d @1767225600
date -u -Ins -d @1767225600.5
date -u -Ih -d @1767225600
date -u -Im -d @1767225600
date -u --rfc-3339=seconds -d @1767225600
date -u --rfc-3339=ns -d @1767225600
date -u --rfc-3339=date -d @1767225600
date -u -d @-86401
date -u -d '2026-03-04 05:06:07'
date -u -d '2026-03-04' +%s
date -u -d '2026-12-31' '+%j %U %W %V %G'
date -u -d '2027-01-01' '+%j %U %W %V %G %g'
date -u -d @0 '+%Q|%5a|%10N|%-j|%:|%:::z|%#p|%#Z'
date -u -d foo; echo "st=$?"
date -u -d @x; echo "st=$?"
date x; echo "st=$?"
date -u a b; echo "st=$?"
date -I -R; echo "st=$?"
date -Ifoo; echo "st=$?"
date --rfc-3339; echo "st=$?"
date -u +; echo "st=$?"
date -u -d @99999999999999999; echo "st=$?"
date -u -d @67767976233532799
timeout inf true; echo "st=$?"
timeout 1e30 true; echo "st=$?"
