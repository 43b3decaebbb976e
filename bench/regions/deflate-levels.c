// bench/regions/deflate's measuring program: deflates every file named on stdin (whole, in memory) REPS times with
// zlib at levels 1, 6 and 9 (raw deflate, 32 KiB window, memory level 9: libzip's settings) and with libdeflate at
// levels 1-12; prints the compressed bytes of all files and the CPU microseconds per file, its CRC-32 included
// (zlib's crc32 for zlib, libdeflate_crc32 for libdeflate, as each writer would compute it).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <libdeflate.h>
static double now(){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  if(argc<2){fprintf(stderr,"usage: deflate-levels REPS < list-of-files\n");return 2;}
  int reps=atoi(argv[1]); char name[4096]; unsigned char*in[20000]; size_t len[20000]; int n=0; size_t raw=0;
  while(fgets(name,sizeof name,stdin)&&n<20000){name[strcspn(name,"\n")]=0;FILE*f=fopen(name,"rb");fseek(f,0,2);len[n]=ftell(f);fseek(f,0,0);in[n]=malloc(len[n]);fread(in[n],1,len[n],f);fclose(f);raw+=len[n];n++;}
  unsigned char*out=malloc(1<<20);
  printf("%d files, %zu bytes uncompressed\n",n,raw);
  for(int zl=1;zl<=9;zl+=(zl==1?5:3)){
  z_stream s;memset(&s,0,sizeof s);deflateInit2(&s,zl,Z_DEFLATED,-15,9,Z_DEFAULT_STRATEGY);
  size_t tot=0;double t=now();
  for(int r=0;r<reps;r++)for(int i=0;i<n;i++){deflateReset(&s);s.next_in=in[i];s.avail_in=len[i];s.next_out=out;s.avail_out=1<<20;deflate(&s,Z_FINISH);if(!r)tot+=s.total_out;crc32(0,in[i],len[i]);}
  printf("zlib       level %d: %8zu bytes  %6.2f us/file\n",zl,tot,(now()-t)/reps/n*1e6);deflateEnd(&s);}
  for(int l=1;l<=12;l++){
    struct libdeflate_compressor*c=libdeflate_alloc_compressor(l);size_t tot=0;double t=now();
    for(int r=0;r<reps;r++)for(int i=0;i<n;i++){size_t k=libdeflate_deflate_compress(c,in[i],len[i],out,1<<20);if(!r)tot+=k;libdeflate_crc32(0,in[i],len[i]);}
    printf("libdeflate level %d: %8zu bytes  %6.2f us/file\n",l,tot,(now()-t)/reps/n*1e6);libdeflate_free_compressor(c);
  }
}
