echo $((1 / 0))
echo after
echo $((1 +))
echo end
