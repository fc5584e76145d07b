<?xml version="1.0" encoding="UTF-8"?>
<!--
  feedwright's stylesheet for its RSS 2.0 and Atom 1.0 documents: a browser that still applies
  XSLT shows the feed as a readable page (the same look as the feed's HTML page) instead of raw
  XML. Feed readers never see it. XSLT 1.0, no scripts, no external resources.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:fw="https://feedwright.dev/ns/attribution/1.0"
    exclude-result-prefixes="atom dc fw">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:template match="/">
    <html>
      <xsl:variable name="language" select="rss/channel/language | atom:feed/@xml:lang"/>
      <xsl:if test="$language">
        <xsl:attribute name="lang"><xsl:value-of select="$language"/></xsl:attribute>
      </xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy"
              content="default-src 'none'; img-src http: https: data:; media-src http: https:; style-src 'unsafe-inline'"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/> (web feed)</title>
        <style>
/* feedwright:css */
        </style>
      </head>
      <body>
        <div class="wrap">
          <xsl:apply-templates select="rss/channel | atom:feed"/>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- The feed's head: title, description, and how to subscribe. -->
  <xsl:template name="head">
    <xsl:param name="title"/>
    <xsl:param name="home"/>
    <xsl:param name="description"/>
    <xsl:param name="self"/>
    <header class="feed">
      <h1><a href="{$home}"><xsl:value-of select="$title"/></a></h1>
      <xsl:if test="$description">
        <p class="description"><xsl:value-of select="$description"/></p>
      </xsl:if>
      <p class="hint">This is a web feed. To follow it, copy its address into your feed reader<xsl:if test="$self">: <code><xsl:value-of select="$self"/></code></xsl:if>.</p>
    </header>
  </xsl:template>

  <xsl:template match="rss/channel">
    <xsl:call-template name="head">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="home" select="link"/>
      <xsl:with-param name="description" select="description"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <main><xsl:apply-templates select="item"/></main>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:call-template name="head">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="home" select="atom:link[@rel='alternate'][1]/@href"/>
      <xsl:with-param name="description" select="atom:subtitle"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <main><xsl:apply-templates select="atom:entry"/></main>
  </xsl:template>

  <xsl:template match="item">
    <article class="entry">
      <h2><xsl:call-template name="title-link">
        <xsl:with-param name="title" select="title"/>
        <xsl:with-param name="href" select="link"/>
      </xsl:call-template></h2>
      <p class="meta">
        <xsl:value-of select="pubDate"/>
        <xsl:for-each select="dc:creator">
          <xsl:choose>
            <xsl:when test="position() = 1"> · by </xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <!-- description is html; ours holds escaped plain text, so unescaping it once is safe -->
      <p class="summary"><xsl:value-of select="description" disable-output-escaping="yes"/></p>
      <xsl:apply-templates select="fw:attribution/fw:media"/>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article class="entry">
      <h2><xsl:call-template name="title-link">
        <xsl:with-param name="title" select="atom:title"/>
        <xsl:with-param name="href" select="atom:link[@rel='alternate'][1]/@href"/>
      </xsl:call-template></h2>
      <p class="meta">
        <xsl:value-of select="translate(atom:published | atom:updated[not(../atom:published)], 'T', ' ')"/>
        <xsl:for-each select="atom:author/atom:name">
          <xsl:choose>
            <xsl:when test="position() = 1"> · by </xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <xsl:if test="atom:summary">
        <p class="summary"><xsl:value-of select="atom:summary"/></p>
      </xsl:if>
      <xsl:apply-templates select="fw:attribution/fw:media"/>
    </article>
  </xsl:template>

  <xsl:template name="title-link">
    <xsl:param name="title"/>
    <xsl:param name="href"/>
    <xsl:choose>
      <xsl:when test="starts-with($href, 'https://') or starts-with($href, 'http://')">
        <a href="{$href}"><xsl:value-of select="$title"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Every picture with its caption and credits, from the attribution record. -->
  <xsl:template match="fw:media">
    <xsl:variable name="id" select="@id"/>
    <figure class="media">
      <xsl:if test="(@kind = 'image' or @kind = 'unknown')
                    and (starts-with(@url, 'https://') or starts-with(@url, 'http://'))">
        <img src="{@url}" alt="{fw:caption}"/>
      </xsl:if>
      <figcaption>
        <xsl:value-of select="fw:caption"/>
        <xsl:for-each select="../fw:credit[@target = $id]">
          <!-- one raw credit can give several credits: print it once -->
          <xsl:if test="not(fw:raw) or not(preceding-sibling::fw:credit[@target = $id][fw:raw = current()/fw:raw])">
            <xsl:text> </xsl:text>
            <span class="credit">
              <xsl:choose>
                <xsl:when test="fw:raw"><xsl:value-of select="fw:raw"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="fw:agent"/></xsl:otherwise>
              </xsl:choose>
            </span>
          </xsl:if>
        </xsl:for-each>
      </figcaption>
    </figure>
  </xsl:template>
</xsl:stylesheet>
