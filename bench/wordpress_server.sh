#!/usr/bin/env bash
# A WordPress to compare comment posting with: Debian's `wordpress` package (6.1) under
# Apache with mod_php on 127.0.0.1:8081, backed by the MariaDB on 127.0.0.1:3306.
#
#   sudo bench/wordpress_server.sh        # set up (or check) and print the post's URL and ID
#
# Idempotent: each step checks before it changes anything, so running it again only puts the
# benchmark post back to its 50 approved comments (the comments bench/post.py left are
# deleted), which is what bench/compare_wordpress.py does before each WordPress round.
# Nothing of WordPress enters this repository: the package installs it under
# /usr/share/wordpress, its configuration goes to /etc/wordpress and /etc/apache2.
#
# The site is set up as an operator of a moderated blog would: every comment waits for a
# moderator ("Comment must be manually approved"), readers need no account, name and email
# are required, and the other options keep WordPress's defaults (its flood rule: one comment
# per address or email every 15 s; an email to the moderator for each held comment).
#
# Exits 0 when the site answers; 3, with a line starting "SKIP:", when it cannot be set up
# here (not root, apt cannot install the packages, no MariaDB).
#
# Settings, from the environment: WP_MODERATOR_EMAIL (1: WordPress's default, an email to
# the moderator for each held comment, sent in the request; 0: none), WP_PORT (8081), WP_DB (wp_bench), MYSQL_HOST (127.0.0.1),
# MYSQL_PORT (3306), MYSQL_ROOT (root; its password, if any, in MYSQL_PWD).
set -euo pipefail

WP_PORT=${WP_PORT:-8081}
WP_DB=${WP_DB:-wp_bench}
WP_MODERATOR_EMAIL=${WP_MODERATOR_EMAIL:-1}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_ROOT=${MYSQL_ROOT:-root}
SITE="http://127.0.0.1:${WP_PORT}"
# wp-config.php (Debian's) picks /etc/wordpress/config-<host>.php by the Host header, port
# stripped: every request to 127.0.0.1:<port> reads this file.
CONFIG=/etc/wordpress/config-127.0.0.1.php
VHOST=/etc/apache2/sites-available/wp-bench.conf
PACKAGES=(wordpress apache2 libapache2-mod-php php-mysql curl)
POST_SLUG=benchmark-post
SEED_COMMENTS=50

say() { echo "wordpress_server.sh: $*" >&2; }
skip() { echo "SKIP: $*"; exit 3; }
sql() { mysql --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_ROOT" -N -B "$@"; }
# PHP with WordPress loaded, as a request to this site would load it.
wp_php() { HTTP_HOST="127.0.0.1:${WP_PORT}" php -d display_errors=stderr -r "
  \$_SERVER['HTTP_HOST'] = '127.0.0.1:${WP_PORT}';
  require '/usr/share/wordpress/wp-load.php';
  $1"; }

# 1. The packages: Debian's WordPress 6.1, Apache with mod_php, PHP's MySQL driver.
[[ $(id -u) == 0 ]] || skip "run as root: it installs packages and configures Apache"
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >&2; then
    skip "apt-get could not install ${missing[*]}"
  fi
fi
say "WordPress $(dpkg-query -W -f='${Version}' wordpress) from Debian's package"

# 2. The database and its own user (a password made once, kept in the site's config).
sql -e "SELECT 1" >/dev/null 2>&1 \
  || skip "no MariaDB/MySQL answers on ${MYSQL_HOST}:${MYSQL_PORT} as ${MYSQL_ROOT}"
if [[ -f $CONFIG ]]; then
  password=$(sed -n "s/^define('DB_PASSWORD', '\(.*\)');$/\1/p" "$CONFIG")
else
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
fi
sql <<SQL
CREATE DATABASE IF NOT EXISTS \`${WP_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'wp_bench'@'127.0.0.1' IDENTIFIED BY '${password}';
CREATE USER IF NOT EXISTS 'wp_bench'@'localhost' IDENTIFIED BY '${password}';
ALTER USER 'wp_bench'@'127.0.0.1' IDENTIFIED BY '${password}';
ALTER USER 'wp_bench'@'localhost' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON \`${WP_DB}\`.* TO 'wp_bench'@'127.0.0.1', 'wp_bench'@'localhost';
SQL

# 3. The site's configuration, with its own salts, over TCP like alsblog's database.
if [[ ! -f $CONFIG ]]; then
  say "writing $CONFIG"
  salts=""
  for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT \
    LOGGED_IN_SALT NONCE_SALT; do
    salts+="define('${key}', '$(head -c 48 /dev/urandom | base64 | tr -d '/+=')');"$'\n'
  done
  umask 027
  cat >"$CONFIG" <<PHP
<?php
// Written by alsblog's bench/wordpress_server.sh: the WordPress to compare posting with.
define('DB_NAME', '${WP_DB}');
define('DB_USER', 'wp_bench');
define('DB_PASSWORD', '${password}');
define('DB_HOST', '${MYSQL_HOST}:${MYSQL_PORT}');
define('WP_HOME', '${SITE}');
define('WP_SITEURL', '${SITE}');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
${salts}
PHP
  umask 022
  chgrp www-data "$CONFIG"
fi

# 4. Apache: a virtual host on 127.0.0.1:${WP_PORT} only. Debian's default site and its
# "Listen 80" on every address are switched off: this machine serves nothing else.
if [[ ! -f $VHOST ]] || ! grep -q "127.0.0.1:${WP_PORT}" "$VHOST"; then
  say "writing $VHOST"
  cat >"$VHOST" <<APACHE
# Written by alsblog's bench/wordpress_server.sh.
Listen 127.0.0.1:${WP_PORT}
<VirtualHost 127.0.0.1:${WP_PORT}>
    ServerName 127.0.0.1
    DocumentRoot /usr/share/wordpress
    DirectoryIndex index.php
    Alias /wp-content /var/lib/wordpress/wp-content
    <Directory /usr/share/wordpress>
        Options FollowSymLinks
        Require all granted
    </Directory>
    <Directory /var/lib/wordpress/wp-content>
        Options FollowSymLinks
        Require all granted
    </Directory>
    ErrorLog \${APACHE_LOG_DIR}/wp-bench-error.log
    # No access log: alsblog's gunicorn keeps none in the benchmark either.
</VirtualHost>
APACHE
fi
sed -i 's/^Listen 80$/# Listen 80  (off: bench\/wordpress_server.sh serves 127.0.0.1 only)/' \
  /etc/apache2/ports.conf
a2dissite -q 000-default >/dev/null 2>&1 || true
a2ensite -q wp-bench >/dev/null
apache2ctl configtest 2>/dev/null || { apache2ctl configtest; exit 1; }
# (graceful starts Apache when it is not running, and reloads it otherwise.)
apache2ctl graceful 2>&1 | grep -v AH00558 >&2 || true
for _ in $(seq 50); do
  curl -s -o /dev/null "${SITE}/wp-login.php" && break
  sleep 0.2
done

# 5. WordPress's own installer, as a browser would send it (wp-admin/install.php, step 2).
installed=$(sql "$WP_DB" -e "SHOW TABLES LIKE 'wp_options'")
if [[ -z $installed ]]; then
  say "running the installer"
  admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  curl -sS -o /dev/null -w '%{http_code}\n' "${SITE}/wp-admin/install.php?step=2" \
    --data-urlencode "weblog_title=ALS benchmark blog" \
    --data-urlencode "user_name=admin" \
    --data-urlencode "admin_password=${admin_password}" \
    --data-urlencode "admin_password2=${admin_password}" \
    --data-urlencode "pw_weak=1" \
    --data-urlencode "admin_email=admin@example.org" \
    --data-urlencode "blog_public=0" \
    --data-urlencode "language=" >&2
  [[ -n $(sql "$WP_DB" -e "SHOW TABLES LIKE 'wp_options'") ]] \
    || { say "the installer did not create the tables; see /var/log/apache2/wp-bench-error.log"; exit 1; }
fi

# 6. A moderated blog's options, then the post with its 50 approved comments. Comments
# other than those 50 (bench/post.py's) are deleted, so each run starts from the same state.
wp_php "
  update_option('comment_moderation', 1);    // Comment must be manually approved
  update_option('comment_registration', 0);  // no login needed
  update_option('require_name_email', 1);
  update_option('default_comment_status', 'open');
  update_option('close_comments_for_old_posts', 0);
  update_option('moderation_notify', ${WP_MODERATOR_EMAIL} ? 1 : 0);  // \"Email me whenever a comment is held\"
  \$post = get_page_by_path('${POST_SLUG}', OBJECT, 'post');
  if (!\$post) {
    \$id = wp_insert_post(array(
      'post_name' => '${POST_SLUG}', 'post_title' => 'Benchmark post',
      'post_content' => str_repeat('<p>Researchers followed a group of people living with ALS for two years and measured how quickly their symptoms changed.</p>', 3),
      'post_status' => 'publish', 'post_author' => 1, 'comment_status' => 'open'), true);
    if (is_wp_error(\$id)) { fwrite(STDERR, \$id->get_error_message()); exit(1); }
    \$post = get_post(\$id);
  }
  \$id = \$post->ID;
  global \$wpdb;
  \$seeded = \$wpdb->prepare('comment_post_ID = %d AND comment_author_email LIKE %s', \$id, 'seed-%');
  \$others = \$wpdb->get_col(\$wpdb->prepare(
    \"SELECT comment_ID FROM \$wpdb->comments WHERE comment_post_ID = %d AND comment_author_email NOT LIKE 'seed-%%'\", \$id));
  foreach (array_chunk(\$others, 1000) as \$chunk) {
    \$list = implode(',', array_map('intval', \$chunk));
    \$wpdb->query(\"DELETE FROM \$wpdb->commentmeta WHERE comment_id IN (\$list)\");
    \$wpdb->query(\"DELETE FROM \$wpdb->comments WHERE comment_ID IN (\$list)\");
  }
  if (count(\$others)) { fwrite(STDERR, 'wordpress_server.sh: deleted ' . count(\$others) . \" comments left by earlier runs\n\"); }
  \$have = (int) \$wpdb->get_var(\"SELECT COUNT(*) FROM \$wpdb->comments WHERE \$seeded\");
  for (\$n = \$have + 1; \$n <= ${SEED_COMMENTS}; \$n++) {
    \$when = time() - (${SEED_COMMENTS} - \$n + 2) * DAY_IN_SECONDS;  // long before any flood window
    wp_insert_comment(array(
      'comment_post_ID' => \$id, 'comment_author' => \"Reader \$n\",
      'comment_author_email' => \"seed-\$n@example.org\", 'comment_author_IP' => '192.0.2.' . \$n,
      'comment_content' => \"Thank you for this update. My family has followed the trial for a year (\$n).\",
      'comment_approved' => 1, 'comment_date' => get_date_from_gmt(gmdate('Y-m-d H:i:s', \$when)),
      'comment_date_gmt' => gmdate('Y-m-d H:i:s', \$when)));
  }
  wp_update_comment_count_now(\$id);
  wp_cache_flush();
  echo 'POST_ID=' . \$id . PHP_EOL . 'POST_URL=' . get_permalink(\$id) . PHP_EOL;
  echo 'COMMENTS=' . get_comments_number(\$id) . PHP_EOL;
"
echo "COMMENTS_POST_URL=${SITE}/wp-comments-post.php"
