set -e
(false; echo inside)
echo after
